import io
import json
import tarfile

import pytest
from ansible.parsing.vault import VaultLib, VaultSecret

from ansible_collections.federated.vpn.plugins.action.archive_check import ActionModule

PASSWORD = b'correct horse battery staple'
SECRETS = [('default', VaultSecret(PASSWORD))]
KEY = b'dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=\n'
ALLOWED = ['server.key', 'peers.json', 'settings.json', 'wg0.conf']
REQUIRED = ['server.key', 'settings.json']


def member(name, data=b'{}', kind=tarfile.REGTYPE, linkname=''):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, linkname
    if kind == tarfile.REGTYPE:
        info.size = len(data)
        return info, io.BytesIO(data)
    return info, None


def archive(*members, compression='gz'):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w:' + compression) as tar:
        for info, data in members:
            tar.addfile(info, data)
    return buf.getvalue()


def good():
    return [member('server.key', KEY), member('settings.json'), member('peers.json')]


def check(run_action, tmp_path, data, secrets=None, required=None):
    src = tmp_path / 'backup.tar.gz'
    src.write_bytes(data)
    return run_action(ActionModule, dict(src=str(src), members=ALLOWED,
                                         required=REQUIRED if required is None else required), secrets=secrets)


def test_a_good_archive(run_action, tmp_path):
    result = check(run_action, tmp_path, archive(*good()))
    assert not result.get('failed') and not result['changed']
    assert result['members'] == ['peers.json', 'server.key', 'settings.json'] and result['encrypted'] is False
    assert check(run_action, tmp_path, archive(*good(), compression=''))['members'] == result['members']


def test_a_vault_encrypted_archive_is_read_with_the_runs_password(run_action, tmp_path):
    result = check(run_action, tmp_path, VaultLib(SECRETS).encrypt(archive(*good())), secrets=SECRETS)
    assert not result.get('failed') and result['encrypted'] is True
    assert KEY.decode().strip() not in json.dumps(result)


def test_encrypted_without_password(run_action, tmp_path):
    result = check(run_action, tmp_path, VaultLib(SECRETS).encrypt(archive(*good())))
    assert result['failed'] and result['msg'].startswith('is vault-encrypted, and this run has no vault password')
    assert '--vault-password-file' in result['msg']


def test_encrypted_with_another_password(run_action, tmp_path):
    result = check(run_action, tmp_path, VaultLib(SECRETS).encrypt(archive(*good())),
                   secrets=[('default', VaultSecret(b'another password'))])
    assert result['failed'] and "this run's vault password does not decrypt it" in result['msg']


@pytest.mark.parametrize('extra, message', [
    (member('../x'), "member '../x' points outside the archive"),
    (member('a/../../x'), "member 'a/../../x' points outside the archive"),
    (member('/etc/cron.d/x'), "member '/etc/cron.d/x' points outside the archive"),
    (member('wg0.conf', kind=tarfile.SYMTYPE, linkname='/etc/passwd'), "member 'wg0.conf' is a link"),
    (member('wg0.conf', kind=tarfile.LNKTYPE, linkname='server.key'), "member 'wg0.conf' is a link"),
    (member('wg0.conf', kind=tarfile.DIRTYPE), "member 'wg0.conf' is not a regular file"),
    (member('wg0.conf', kind=tarfile.FIFOTYPE), "member 'wg0.conf' is not a regular file"),
    (member('run.sh'), "member 'run.sh' is not one of server.key, peers.json"),
    (member('./peers.json'), "member './peers.json' is not one of"),
    (member('peers.json'), "member 'peers.json' appears twice"),
], ids=['dotdot', 'dotdot-inside', 'absolute', 'symlink', 'hardlink', 'directory', 'fifo', 'unknown', 'dot-slash',
        'twice'])
def test_hostile_members(run_action, tmp_path, extra, message):
    result = check(run_action, tmp_path, archive(*(good() + [extra])))
    assert result['failed'] and message in result['msg'] and 'members' not in result


def test_required_members(run_action, tmp_path):
    result = check(run_action, tmp_path, archive(member('peers.json')))
    assert result['failed'] and result['msg'] == 'lacks server.key, settings.json'
    assert not check(run_action, tmp_path, archive(member('peers.json')), required=[]).get('failed')


@pytest.mark.parametrize('data', [b'', b'not an archive\n' * 10, archive(*good())[:40]],
                         ids=['empty', 'text', 'truncated'])
def test_unreadable(run_action, tmp_path, data):
    result = check(run_action, tmp_path, data)
    assert result['failed'] and result['msg'].startswith('is not a readable tar archive')


def test_no_such_file(run_action, tmp_path):
    result = run_action(ActionModule, dict(src=str(tmp_path / 'none'), members=ALLOWED))
    assert result['failed'] and result['msg'] == 'no such file on the controller'
    assert result['src'] == str(tmp_path / 'none')
