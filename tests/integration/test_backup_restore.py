"""backup.yml and restore.yml against the real playbooks, without Docker.

The VPN server is this machine (local connection) with its state in a temporary directory
made here with the collection's own module_utils. Backups: directory modes, the archive's
mode, vault encryption. Restores: every corrupted or hostile archive must fail before
anything is written (the state directory's files keep their content and mtime), with a
message naming the archive and what is wrong; a good archive is restored by the role's
restore tasks (restore.yml itself would go on to start containers). The cases run
concurrently, each a separate ansible-playbook.
"""
import io
import json
import os
import stat
import sys
import tarfile
from concurrent.futures import ThreadPoolExecutor

import pytest

from local_playbooks import ROOT, local_inventory, run_playbook

sys.path.insert(0, os.path.join(ROOT, '.collections'))

from ansible.parsing.vault import VaultLib, VaultSecret  # noqa: E402

from ansible_collections.federated.vpn.plugins.module_utils import peer_registry as reg  # noqa: E402
from ansible_collections.federated.vpn.plugins.module_utils import wireguard as wg  # noqa: E402

PASSWORD = b'correct horse battery staple'
MEMBERS = ['peers.json', 'server.key', 'settings.json', 'wg0.conf']
# what the inventory below makes the role write (roles/vpnserver/vars/main.yml)
SETTINGS = {
    'network': '10.220.0.0/14', 'address': '10.220.0.1', 'port': 51820, 'endpoint': '192.0.2.10:51820',
    'pools': {'management': '10.220.0.0/16', 'node': '10.221.0.0/16', 'researcher': '10.222.0.0/16'},
    'private_key_file': 'server.key',
}
RESTORE_TASKS = '''- hosts: vpnserver
  gather_facts: false
  tasks:
    - ansible.builtin.include_role:
        name: federated.vpn.vpnserver
        tasks_from: restore.yml
      vars:
        vpnserver_backup_file: "{{ backup_file }}"
'''


def base_inventory(tmp):
    return local_inventory(tmp, {'h1': {'node_instances': [{'name': 'h1-a'}]}})


def server_files(settings=None, peers=None):
    """{name: bytes} of a valid server state: key, settings, a registry of two peers, wg0.conf."""
    settings = settings or SETTINGS
    private = wg.generate_private_key()
    requests = peers or [dict(name='hospital-a', type='node', public_key=wg.public_key(wg.generate_private_key())),
                         dict(name='lab', type='researcher', public_key=wg.public_key(wg.generate_private_key()))]
    registry, _removed = reg.plan({}, reg.Settings(settings, '/nonexistent'), requests)
    conf = wg.render_server_config(private, settings['port'], [dict(e, name=n) for n, e in registry.items()])
    return {'server.key': (private + '\n').encode(), 'settings.json': json.dumps(settings).encode(),
            'peers.json': reg.dump_registry(registry).encode(), 'wg0.conf': conf.encode()}


def write_state(directory, files):
    os.makedirs(directory, mode=0o700)
    for name, data in files.items():
        wg.atomic_write(os.path.join(directory, name), data)


def snapshot(directory):
    """Every file's content and mtime, to prove that nothing was written."""
    paths = [os.path.join(directory, name) for name in sorted(os.listdir(directory))]
    return dict((path, (open(path, 'rb').read(), os.stat(path).st_mtime_ns)) for path in paths)


def secrets_of(files):
    """Key material that must never appear in any output: the server key and every PSK."""
    found = [files['server.key'].decode().strip()]
    try:
        found += [e['psk'] for e in json.loads(files['peers.json'])['peers'].values()]
    except (KeyError, TypeError, ValueError):
        pass
    return found


def make_tar(files, extra=()):
    """A tar.gz of files ({name: bytes}) plus extra TarInfo members (links, hostile names)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w:gz') as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o600
            archive.addfile(info, io.BytesIO(data))
        for info, data in extra:
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def vault(data, password=PASSWORD):
    return VaultLib([('default', VaultSecret(password))]).encrypt(data)


def link(name, target, kind=tarfile.SYMTYPE):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, None


def regular(name, data=b'x\n'):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


class Case:
    """One ansible-playbook run in its own directory, with its own inventory and state."""

    def __init__(self, root, name):
        self.tmp = os.path.join(root, name)
        os.makedirs(self.tmp)
        self.tmpdir = os.path.join(self.tmp, 'tmp')
        os.makedirs(self.tmpdir)
        self.inventory = base_inventory(self.tmp)
        self.state_dir = self.inventory['all']['vars']['vpnserver_state_dir']
        self.password_file = os.path.join(self.tmp, 'vault-password')
        with open(self.password_file, 'wb') as handle:
            handle.write(PASSWORD + b'\n')

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def run(self, playbook, *args, env=None):
        # only the vault password a case gives counts
        base = dict((k, v) for k, v in os.environ.items() if k != 'ANSIBLE_VAULT_PASSWORD_FILE')
        return run_playbook(self.inventory, self.path('hosts.json'), playbook, args,
                            env=dict(base, TMPDIR=self.tmpdir, **(env or {})))

    def leftovers(self):
        """Working directories the roles left in this case's TMPDIR."""
        return [n for n in os.listdir(self.tmpdir) if n.startswith('fvpn-')]


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


# ---------------------------------------------------------------------------- backup

def backup_into_existing_dir(case):
    files = server_files()
    write_state(case.state_dir, files)
    out = case.path('out')
    os.mkdir(out)
    os.chmod(out, 0o755)
    proc = case.run('backup.yml', '-e', 'backup_file=%s/b.tar.gz' % out)
    return dict(proc=proc, files=files, dir_mode=mode(out), archive=case.path('out', 'b.tar.gz'))


def backup_encrypted_new_dirs(case):
    files = server_files()
    write_state(case.state_dir, files)
    os.chmod(case.tmp, 0o755)
    archive = case.path('new', 'sub', 'b.tar.gz')
    proc = case.run('backup.yml', '-e', 'backup_file=%s' % archive, '--vault-password-file', case.password_file)
    return dict(proc=proc, files=files, archive=archive,
                modes=[mode(case.tmp), mode(case.path('new')), mode(case.path('new', 'sub'))],
                leftovers=case.leftovers())


def backup_encrypted_env(case):
    files = server_files()
    write_state(case.state_dir, files)
    archive = case.path('b.tar.gz')
    proc = case.run('backup.yml', '-e', 'backup_file=%s' % archive, '-e', 'backup_encrypt=true',
                    env=dict(ANSIBLE_VAULT_PASSWORD_FILE=case.password_file))
    return dict(proc=proc, files=files, archive=archive)


def backup_required_without_password(case):
    files = server_files()
    write_state(case.state_dir, files)
    before = snapshot(case.state_dir)
    archive = case.path('none', 'b.tar.gz')
    proc = case.run('backup.yml', '-e', 'backup_file=%s' % archive, '-e', 'backup_encrypt=true')
    return dict(proc=proc, files=files, created=os.path.exists(case.path('none')), before=before,
                after=snapshot(case.state_dir), leftovers=case.leftovers())


def backup_plain_on_request(case):
    files = server_files()
    write_state(case.state_dir, files)
    archive = case.path('b.tar.gz')
    proc = case.run('backup.yml', '-e', 'backup_file=%s' % archive, '-e', 'backup_encrypt=false',
                    '--vault-password-file', case.password_file)
    return dict(proc=proc, files=files, archive=archive)


def round_trip(case):
    """backup.yml (encrypted), then the role's restore tasks into an empty state directory."""
    files = server_files()
    write_state(case.state_dir, files)
    archive = case.path('b.tar.gz')
    backup = case.run('backup.yml', '-e', 'backup_file=%s' % archive, '--vault-password-file', case.password_file)
    restored = case.path('restored')
    case.inventory['all']['vars']['vpnserver_state_dir'] = restored
    playbook = case.path('restore_tasks.yml')
    with open(playbook, 'w') as handle:
        handle.write(RESTORE_TASKS)
    proc = case.run(playbook, '-e', 'backup_file=%s' % archive, '--vault-password-file', case.password_file)
    result = {}
    if os.path.isdir(restored):
        result = dict((n, (open(os.path.join(restored, n), 'rb').read(), mode(os.path.join(restored, n))))
                      for n in os.listdir(restored))
    return dict(proc=proc, backup=backup, files=files, restored=result, leftovers=case.leftovers())


BACKUPS = {
    'into-existing-dir': backup_into_existing_dir,
    'encrypted-new-dirs': backup_encrypted_new_dirs,
    'encrypted-env': backup_encrypted_env,
    'required-without-password': backup_required_without_password,
    'plain-on-request': backup_plain_on_request,
    'round-trip': round_trip,
}


# --------------------------------------------------------------------------- restore

def replace(name, data):
    return lambda files: dict(files, **{name: data})


def without(name):
    return lambda files: dict((n, d) for n, d in files.items() if n != name)


def registry_edit(change):
    def edit(files):
        data = json.loads(files['peers.json'])
        change(data['peers'])
        return dict(files, **{'peers.json': json.dumps(data).encode()})
    return edit


def injected_key(peers):
    peers['hospital-a']['public_key'] += '\n\n[Peer]\nPublicKey = %s\nAllowedIPs = 0.0.0.0/0' % (
        wg.public_key(wg.generate_private_key()))


OTHER_POOLS = dict(SETTINGS, pools=dict(SETTINGS['pools'], node='10.223.0.0/16'))

# (id, change to the archived files, extra tar members, texts the message must hold, options)
RESTORES = [
    ('registry-injected-peer', registry_edit(injected_key), (), ['peers.json', 'hospital-a'], {}),
    ('registry-list', replace('peers.json', b'[]'), (), ['peers.json'], {}),
    ('registry-null', replace('peers.json', b'null'), (), ['peers.json'], {}),
    ('address-outside-pool', registry_edit(lambda p: p['hospital-a'].update(address='10.222.0.9')), (),
     ['peers.json', 'hospital-a', 'address'], {}),
    ('address-outside-inventory-pool', None, (), ["inventory's settings", 'hospital-a', 'address'],
     dict(settings=OTHER_POOLS)),
    ('registry-missing-wg0-lists-peers', without('peers.json'), (), ['peers.json', 'wg0.conf'], {}),
    ('server-key-invalid', replace('server.key', b'not a key\n'), (), ['the private key in server.key is not'], {}),
    ('server-key-missing', without('server.key'), (), ['lacks server.key'], {}),
    ('settings-invalid', replace('settings.json', b'{"network": '), (), ['settings.json'], {}),
    ('member-dotdot', None, [regular('../x')], ["'../x' points outside the archive"], {}),
    ('member-absolute', None, [regular('/tmp/fvpn-evil')], ["'/tmp/fvpn-evil' points outside the archive"], {}),
    ('member-symlink', without('peers.json'), [link('peers.json', '/etc/passwd')], ["'peers.json' is a link"], {}),
    ('member-hardlink', without('wg0.conf'), [link('wg0.conf', 'server.key', tarfile.LNKTYPE)],
     ["'wg0.conf' is a link"], {}),
    ('member-unknown', None, [regular('evil.sh')], ["'evil.sh' is not one of"], {}),
    ('member-in-directory', None, [regular('sub/peers.json')], ["'sub/peers.json' is not one of"], {}),
    ('not-an-archive', None, (), ['is not a readable tar archive'], dict(raw=b'garbage\n' * 10)),
    ('encrypted-without-password', None, (), ['is vault-encrypted, and this run has no vault password'],
     dict(encrypt=True, password=False)),
    ('encrypted-wrong-password', None, (), ["this run's vault password does not decrypt it"],
     dict(encrypt=True, password=b'wrong password')),
    ('no-such-file', None, (), ['no such file on the controller'], dict(missing=True)),
    # a good encrypted archive, decrypted and fully checked, stopped by the key check at the end
    ('encrypted-other-server-key', None, (), ['already has a different server key'],
     dict(encrypt=True, other_key=True)),
]


def restore_case(case, spec):
    _name, change, extra, _texts, opts = spec
    archived = server_files(opts.get('settings'))
    secrets = secrets_of(archived)
    # the server being restored holds the same key, so a good archive would be written
    current = dict(archived, **{'settings.json': json.dumps(SETTINGS).encode()})
    if opts.get('other_key'):
        current['server.key'] = (wg.generate_private_key() + '\n').encode()
    write_state(case.state_dir, current)
    if change:
        archived = change(archived)
    data = opts.get('raw') or make_tar(archived, extra)
    if opts.get('encrypt'):
        data = vault(data)
    archive = case.path('backup.tar.gz')
    if not opts.get('missing'):
        with open(archive, 'wb') as handle:
            handle.write(data)
    before = snapshot(case.state_dir)
    args = ['-e', 'backup_file=%s' % archive]
    password = opts.get('password', PASSWORD if opts.get('encrypt') else False)
    if password:
        with open(case.path('given-password'), 'wb') as handle:
            handle.write(password + b'\n')
        args += ['--vault-password-file', case.path('given-password')]
    proc = case.run('restore.yml', *args)
    return dict(proc=proc, archive=archive, before=before, after=snapshot(case.state_dir),
                secrets=secrets,
                leftovers=case.leftovers())


@pytest.fixture(scope='module')
def results(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('backup_restore'))
    jobs = [('backup-' + name, lambda name=name, fn=fn: fn(Case(root, 'backup-' + name)))
            for name, fn in BACKUPS.items()]
    jobs += [('restore-' + spec[0], lambda spec=spec: restore_case(Case(root, 'restore-' + spec[0]), spec))
             for spec in RESTORES]
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda job: job[1](), jobs))
    return dict(zip([job[0] for job in jobs], outcomes))


def output(proc):
    return proc.stdout + proc.stderr


def assert_ok(proc):
    assert proc.returncode == 0, output(proc)[-4000:]


def assert_no_secret(result, files=None):
    for secret in secrets_of(files or result['files']):
        assert secret not in output(result['proc'])


def members(data):
    with tarfile.open(fileobj=io.BytesIO(data), mode='r:gz') as archive:
        return dict((m.name, archive.extractfile(m).read()) for m in archive.getmembers())


def test_backup_leaves_an_existing_directory_alone(results):
    result = results['backup-into-existing-dir']
    assert_ok(result['proc'])
    assert result['dir_mode'] == 0o755
    assert mode(result['archive']) == 0o600
    data = open(result['archive'], 'rb').read()
    # no vault password: plain, with a warning saying how to encrypt it
    assert members(data) == result['files']
    assert 'written unencrypted' in output(result['proc']) and '--vault-password-file' in output(result['proc'])
    assert_no_secret(result)


def test_backup_creates_missing_directories_private_and_encrypts(results):
    result = results['backup-encrypted-new-dirs']
    assert_ok(result['proc'])
    assert result['modes'] == [0o755, 0o700, 0o700]
    assert mode(result['archive']) == 0o600
    data = open(result['archive'], 'rb').read()
    assert data.startswith(b'$ANSIBLE_VAULT')
    for secret in secrets_of(result['files']):
        assert secret.encode() not in data
    assert members(VaultLib([('default', VaultSecret(PASSWORD))]).decrypt(data)) == result['files']
    assert 'vault-encrypted' in output(result['proc'])
    assert_no_secret(result)
    assert result['leftovers'] == []


def test_backup_encrypts_with_the_password_file_of_the_environment(results):
    result = results['backup-encrypted-env']
    assert_ok(result['proc'])
    data = open(result['archive'], 'rb').read()
    assert data.startswith(b'$ANSIBLE_VAULT')
    assert members(VaultLib([('default', VaultSecret(PASSWORD))]).decrypt(data)) == result['files']


def test_backup_encrypt_true_without_password_fails_writing_nothing(results):
    result = results['backup-required-without-password']
    assert result['proc'].returncode != 0
    assert 'backup_encrypt=true, but this run has no vault password' in output(result['proc'])
    assert not result['created']
    assert result['after'] == result['before']
    assert result['leftovers'] == []
    assert_no_secret(result)


def test_backup_encrypt_false_writes_plain(results):
    result = results['backup-plain-on-request']
    assert_ok(result['proc'])
    assert members(open(result['archive'], 'rb').read()) == result['files']
    assert 'written unencrypted' not in output(result['proc'])


def test_round_trip_restores_every_file_private(results):
    result = results['backup-round-trip']
    assert_ok(result['backup'])
    assert_ok(result['proc'])
    # wg0.conf is left to the role; settings.json is the inventory's, checked against the registry
    settings, settings_mode = result['restored'].pop('settings.json')
    settings = json.loads(settings)
    assert dict((k, settings[k]) for k in SETTINGS) == SETTINGS and settings_mode == 0o600
    assert result['restored'] == {'server.key': (result['files']['server.key'], 0o600),
                                  'peers.json': (result['files']['peers.json'], 0o600)}
    assert result['leftovers'] == []
    assert_no_secret(result)


def test_at_least_fifteen_bad_archives():
    assert len(RESTORES) >= 15


@pytest.mark.parametrize('spec', RESTORES, ids=[s[0] for s in RESTORES])
def test_bad_archive_fails_before_writing_anything(results, spec):
    result = results['restore-' + spec[0]]
    out = output(result['proc'])
    assert result['proc'].returncode != 0, out[-4000:]
    assert 'Cannot restore backup_file=%s: ' % result['archive'] in out, out[-4000:]
    assert 'Nothing was changed.' in out
    # the files are named as the archive's, not by the server's working directory
    assert 'fvpn-restore-' not in out.split('Cannot restore')[-1]
    for text in spec[3]:
        assert text in out, out[-4000:]
    assert result['after'] == result['before']
    assert result['leftovers'] == []
    for secret in result['secrets']:
        assert secret not in out
    # nothing past the restore tasks ran (the host's preparation runs before them)
    assert 'TASK [federated.vpn.vpnserver : Run the VPN server container' not in result['proc'].stdout
