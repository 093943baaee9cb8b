"""The collection as a user installs it: the built tarball into a collections path that
holds only the collections galaxy.yml declares, run by a controller that has only
requirements.txt (ansible-core, no ansible package), from a project directory outside
this checkout; every playbook is called by its FQCN.

Galaxy is not reachable from the test machines, so the declared collections are copied
from the ansible package of the test environment (ansible-galaxy then resolves the
tarball's dependencies against them, offline); each declared lower bound must be the
release copied, so the bounds are the releases tested."""
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig

import pytest
import yaml

from collection_tarball import ROOT, build, copy_source

BUNDLED = os.path.join(sysconfig.get_paths()['purelib'], 'ansible_collections')
PLAYBOOKS = sorted(name[:-4] for name in os.listdir(os.path.join(ROOT, 'playbooks')) if name.endswith('.yml'))
# what the content may use without declaring it
OWN = {'ansible.builtin', 'federated.vpn'}


def _galaxy():
    with open(os.path.join(ROOT, 'galaxy.yml')) as handle:
        return yaml.safe_load(handle)


def _manifest(name):
    with open(os.path.join(BUNDLED, *name.split('.'), 'MANIFEST.json')) as handle:
        return json.load(handle)['collection_info']


def _bound(spec):
    match = re.fullmatch(r'>=(\d+\.\d+\.\d+)', spec)
    assert match, 'declare a lower bound (>=x.y.z), not %r' % spec
    return match.group(1)


@pytest.fixture(scope='module')
def installed(tmp_path_factory):
    """(environment, project directory) for a controller with only requirements.txt and
    the tarball installed with its declared dependencies only."""
    tmp = tmp_path_factory.mktemp('install')
    venv = tmp / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', str(venv)], check=True)
    subprocess.run([str(venv / 'bin' / 'pip'), 'install', '-q', '-r', os.path.join(ROOT, 'requirements.txt')],
                   check=True, capture_output=True, timeout=600)
    source = tmp / 'source' / 'federated' / 'vpn'
    copy_source(source)
    tarball = build(source, tmp / 'out', galaxy=str(venv / 'bin' / 'ansible-galaxy'))

    collections = tmp / 'collections'
    wanted = dict(_galaxy()['dependencies'])
    while wanted:
        name, spec = wanted.popitem()
        target = collections / 'ansible_collections' / name.replace('.', '/')
        if target.exists():
            continue
        info = _manifest(name)
        if name in _galaxy()['dependencies']:
            assert info['version'] == _bound(spec), (
                'galaxy.yml: %s %s, but the release tested is %s' % (name, spec, info['version']))
        shutil.copytree(os.path.join(BUNDLED, *name.split('.')), str(target), ignore=shutil.ignore_patterns('__pycache__'))
        wanted.update(info['dependencies'] or {})

    env = {'PATH': '%s:/usr/bin:/bin' % (venv / 'bin'), 'HOME': str(tmp), 'ANSIBLE_NOCOLOR': '1',
           'ANSIBLE_COLLECTIONS_PATH': str(collections), 'ANSIBLE_COLLECTIONS_SCAN_SYS_PATH': 'false',
           'ANSIBLE_LOCALHOST_WARNING': '0'}
    done = subprocess.run(['ansible-galaxy', 'collection', 'install', '--offline', '-p', str(collections), tarball],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    project = tmp / 'project'
    project.mkdir()
    return env, project, collections


def test_requirements_yml_names_what_galaxy_yml_declares():
    with open(os.path.join(ROOT, 'requirements.yml')) as handle:
        listed = dict((c['name'], c['version']) for c in yaml.safe_load(handle)['collections'])
    assert listed == _galaxy()['dependencies']


def test_every_collection_the_content_uses_is_declared(installed):
    """A plugin named by FQCN in the installed roles, playbooks and plugins belongs to the
    collection itself, ansible-core, or a declared dependency (copied, hence installed)."""
    collections = installed[2]
    root = collections / 'ansible_collections' / 'federated' / 'vpn'
    known = set('%s.%s' % (ns, name) for ns in os.listdir(BUNDLED) if os.path.isdir(os.path.join(BUNDLED, ns))
                for name in os.listdir(os.path.join(BUNDLED, ns)))
    used = {}
    for part in ('roles', 'playbooks', 'plugins'):
        for folder, _dirs, files in os.walk(str(root / part)):
            for name in files:
                with open(os.path.join(folder, name), errors='replace') as handle:
                    # ansible-core's own Python packages (ansible.utils...) are not collections
                    text = re.sub(r'(?m)^\s*(from|import) ansible\..*$', '', handle.read())
                    for ref in re.findall(r'\b([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\.[a-z][a-z0-9_]*\b', text):
                        if ref in known and ref not in OWN:
                            used.setdefault(ref, os.path.relpath(os.path.join(folder, name), str(root)))
    assert used, 'found no plugin of another collection: the scan is broken'
    missing = dict((ref, where) for ref, where in used.items()
                   if not (collections / 'ansible_collections' / ref.replace('.', '/')).is_dir())
    assert missing == {}


@pytest.mark.parametrize('playbook', PLAYBOOKS)
def test_every_playbook_runs_by_fqcn(installed, playbook):
    env, project = installed[:2]
    done = subprocess.run(['ansible-playbook', 'federated.vpn.%s' % playbook, '--syntax-check', '-i', 'localhost,'],
                          cwd=str(project), env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
