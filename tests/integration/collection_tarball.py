"""Building the collection's tarball the way a release would: from a copy of the tracked
files (and files not yet committed but not ignored), never from the checkout itself, so
nothing a deployment or a test left beside the code can reach it."""
import os
import shutil
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
GALAXY = os.path.join(os.path.dirname(sys.executable), 'ansible-galaxy')


def source_files():
    """The checkout's files as git sees them: tracked, plus new ones not ignored."""
    listed = subprocess.run(['git', 'ls-files', '--cached', '--others', '--exclude-standard'], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    return [path for path in listed if os.path.lexists(os.path.join(ROOT, path))]


def copy_source(target):
    """Copy source_files() under target (a directory named like federated/vpn)."""
    for path in source_files():
        origin, copy = os.path.join(ROOT, path), os.path.join(str(target), path)
        os.makedirs(os.path.dirname(copy), exist_ok=True)
        if os.path.islink(origin):
            os.symlink(os.readlink(origin), copy)
        else:
            shutil.copy2(origin, copy)


def build(source, out, galaxy=GALAXY):
    """ansible-galaxy collection build of source into out; returns the tarball's path."""
    subprocess.run([galaxy, 'collection', 'build', '--output-path', str(out), str(source)],
                   check=True, capture_output=True, text=True, timeout=120)
    tarballs = os.listdir(str(out))
    assert len(tarballs) == 1, tarballs
    return os.path.join(str(out), tarballs[0])
