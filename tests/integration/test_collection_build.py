"""The collection tarball never carries what a checkout may hold beside the code: a server
backup under any name, keys, server state, logs, virtualenvs, caches, test output.

The build runs on a copy of the tracked files with decoys of each kind added, each holding
a marker; no decoy path and no marker may be in the tarball, while the code is."""
import tarfile

from collection_tarball import build, copy_source

# made at run time, so that this file (which is shipped) does not hold it
MARKER = '-'.join(['DECOY', 'SECRET', '7f3a'])
DECOYS = [
    'backups/vpnserver-vpn-20261130.backup', 'backups/latest', 'inventories/local/backups/old.tar.gz',
    'server-state.tgz', 'vpn.tar', 'roles/vpnserver/files/server.key', 'inventories/example/files/gui.key',
    'gui.pem', 'hospital-a.psk', 'peers.json', 'state/server/peers.json', 'state/server/settings.json',
    'state/server/wg0.conf', 'wg0.conf', 'ansible.log', 'molecule/vpn/ansible.log', 'vault.vault-password',
    '.venv/lib/python3.11/site-packages/x.py', 'venv/bin/activate', '.cache/federated-vpn/build/x',
    'plugins/filter/__pycache__/vpn_inventory.cpython-311.pyc', '.pytest_cache/v/cache/lastfailed',
    'tests/output/junit.xml', '.ci/secret', 'export.zip', 'inventories/example/group_vars/all/vault.yml',
]


def test_tarball_has_no_secret_cache_or_backup(tmp_path):
    source = tmp_path / 'federated' / 'vpn'
    copy_source(source)
    for path in DECOYS:
        target = source / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text('%s %s\n' % (MARKER, path))

    with tarfile.open(build(source, tmp_path / 'out')) as archive:
        members = archive.getmembers()
        names = set(m.name for m in members)
        leaked = [m.name for m in members if m.isfile() and MARKER.encode() in archive.extractfile(m).read()]
    assert leaked == []
    assert not [d for d in DECOYS if d in names or any(n.startswith(d.split('/', 1)[0] + '/') for n in names
                                                       if d.split('/', 1)[0] in ('backups', '.venv', 'venv', '.cache'))]
    # the code itself is there
    for path in ('plugins/modules/wg_peer.py', 'roles/vpnserver/tasks/backup.yml', 'playbooks/backup.yml',
                 'images/wireguard/vpn-entrypoint', 'plugins/modules/secret_file.py', 'roles/gui/templates/nginx.conf.j2'):
        assert path in names, path
