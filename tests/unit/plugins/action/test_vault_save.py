import base64
import json
import os
import stat

import pytest
from ansible.errors import AnsibleActionFail
from ansible.parsing.vault import VaultLib, VaultSecret

from ansible_collections.federated.vpn.plugins.action import vault_save
from ansible_collections.federated.vpn.plugins.action.vault_save import ActionModule
from ansible_collections.federated.vpn.plugins.module_utils import wireguard

PASSWORD = b'correct horse battery staple'
SECRETS = [('default', VaultSecret(PASSWORD))]
# binary, like a tar.gz, with a private key inside
DATA = b'\x1f\x8b\x08\x00' + b'dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=' + bytes(range(256))
CONTENT = base64.b64encode(DATA).decode()


def mode(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


@pytest.fixture
def warnings(monkeypatch):
    seen = []
    monkeypatch.setattr(vault_save.display, 'warning', seen.append)
    return seen


def test_encrypts_with_the_runs_vault_password(run_action, tmp_path, warnings):
    dest = tmp_path / 'b.tar.gz'
    result = run_action(ActionModule, dict(content=CONTENT, dest=str(dest)), secrets=SECRETS)
    assert result['changed'] and result['encrypted'] and not result.get('failed')
    data = dest.read_bytes()
    assert data.startswith(b'$ANSIBLE_VAULT;1.1;AES256') and b'dwdtCnMY' not in data
    assert VaultLib(SECRETS).decrypt(data) == DATA
    assert mode(dest) == 0o600 and warnings == []


def test_auto_without_password_writes_plain_and_warns(run_action, tmp_path, warnings):
    dest = tmp_path / 'b.tar.gz'
    result = run_action(ActionModule, dict(content=CONTENT, dest=str(dest), encrypt_option='backup_encrypt'))
    assert result['changed'] and result['encrypted'] is False
    assert dest.read_bytes() == DATA and mode(dest) == 0o600
    assert len(warnings) == 1 and 'unencrypted' in warnings[0] and '--vault-password-file' in warnings[0]
    assert 'backup_encrypt=true' in warnings[0]


@pytest.mark.parametrize('value', [True, 'true', 'yes', 'True'])
def test_required_without_password_fails_writing_nothing(run_action, tmp_path, value):
    dest = tmp_path / 'new' / 'b.tar.gz'
    result = run_action(ActionModule, dict(content=CONTENT, dest=str(dest), encrypt=value,
                                           encrypt_option='backup_encrypt'))
    assert result['failed'] and result['msg'].startswith('backup_encrypt=true, but this run has no vault password')
    assert 'Nothing was written' in result['msg']
    assert not (tmp_path / 'new').exists()


@pytest.mark.parametrize('value', [False, 'false', 'no'])
def test_false_never_encrypts(run_action, tmp_path, value, warnings):
    dest = tmp_path / 'b.tar.gz'
    result = run_action(ActionModule, dict(content=CONTENT, dest=str(dest), encrypt=value), secrets=SECRETS)
    assert result['encrypted'] is False and dest.read_bytes() == DATA and warnings == []


def test_invalid_encrypt_value(run_action, tmp_path):
    result = run_action(ActionModule, dict(content=CONTENT, dest=str(tmp_path / 'b'), encrypt='maybe',
                                           encrypt_option='backup_encrypt'))
    assert result['failed'] and "backup_encrypt must be auto, true or false, not 'maybe'" in result['msg']
    assert os.listdir(str(tmp_path)) == []


def test_result_never_holds_the_content(run_action, tmp_path):
    for secrets in (None, SECRETS):
        result = run_action(ActionModule, dict(content=CONTENT, dest=str(tmp_path / 'b')), secrets=secrets)
        text = json.dumps(result)
        assert CONTENT not in text and 'dwdtCnMY' not in text


def test_bad_base64_is_not_echoed(run_action, tmp_path):
    bad = 'dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=!'
    result = run_action(ActionModule, dict(content=bad, dest=str(tmp_path / 'b')))
    assert result['failed'] and result['msg'] == 'content is not base64' and bad not in json.dumps(result)
    assert os.listdir(str(tmp_path)) == []


def test_missing_directories_are_created_private_existing_ones_untouched(run_action, tmp_path):
    os.chmod(str(tmp_path), 0o755)
    old = os.umask(0)
    try:
        dest = tmp_path / 'a' / 'b' / 'backup.tar.gz'
        result = run_action(ActionModule, dict(content=CONTENT, dest=str(dest)), secrets=SECRETS)
    finally:
        os.umask(old)
    assert result['created_directories'] == [str(tmp_path / 'a'), str(tmp_path / 'a' / 'b')]
    modes = [mode(tmp_path), mode(tmp_path / 'a'), mode(tmp_path / 'a' / 'b'), mode(dest)]
    assert modes == [0o755, 0o700, 0o700, 0o600]


def test_existing_directory_keeps_its_mode(run_action, tmp_path):
    shared = tmp_path / 'shared'
    shared.mkdir()
    os.chmod(str(shared), 0o1777)
    result = run_action(ActionModule, dict(content=CONTENT, dest=str(shared / 'b')))
    assert result['created_directories'] == [] and mode(shared) == 0o1777


def test_file_is_private_before_any_byte_is_written(run_action, tmp_path, monkeypatch):
    modes = []
    real_fdopen = os.fdopen

    def spying_fdopen(fd, *args, **kwargs):
        # the secret is written through this handle: the file must already be private
        modes.append(stat.S_IMODE(os.fstat(fd).st_mode))
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(wireguard.os, 'fdopen', spying_fdopen)
    # a umask that would make a new file world-readable
    old = os.umask(0)
    try:
        run_action(ActionModule, dict(content=CONTENT, dest=str(tmp_path / 'b')), secrets=SECRETS)
    finally:
        os.umask(old)
    assert modes and set(modes) == {0o600}


def test_replaces_atomically_and_cleans_up_on_failure(run_action, tmp_path, monkeypatch):
    dest = tmp_path / 'b'
    dest.write_bytes(b'old archive')

    def failing_fsync(fd):
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(wireguard.os, 'fsync', failing_fsync)
    with pytest.raises(OSError):
        run_action(ActionModule, dict(content=CONTENT, dest=str(dest)))
    assert dest.read_bytes() == b'old archive' and os.listdir(str(tmp_path)) == ['b']
    monkeypatch.undo()
    run_action(ActionModule, dict(content=CONTENT, dest=str(dest)))
    assert dest.read_bytes() == DATA and os.listdir(str(tmp_path)) == ['b'] and mode(dest) == 0o600


def test_check_mode_writes_nothing(run_action, tmp_path):
    dest = tmp_path / 'new' / 'b'
    result = run_action(ActionModule, dict(content=CONTENT, dest=str(dest)), secrets=SECRETS, check_mode=True)
    assert result['changed'] and result['encrypted'] and not (tmp_path / 'new').exists()


def test_src_on_the_controller(run_action, tmp_path):
    src = tmp_path / 'plain.tar.gz'
    src.write_bytes(DATA)
    dest = tmp_path / 'b'
    run_action(ActionModule, dict(src=str(src), dest=str(dest)), secrets=SECRETS)
    assert VaultLib(SECRETS).decrypt(dest.read_bytes()) == DATA
    missing = run_action(ActionModule, dict(src=str(tmp_path / 'none'), dest=str(tmp_path / 'c')))
    assert missing['failed'] and 'cannot read src' in missing['msg']


def test_refusals(run_action, tmp_path):
    assert 'is a directory' in run_action(ActionModule, dict(content=CONTENT, dest=str(tmp_path)))['msg']
    vaulted = base64.b64encode(VaultLib(SECRETS).encrypt(DATA)).decode()
    assert 'already vault-encrypted' in run_action(ActionModule, dict(content=vaulted, dest=str(tmp_path / 'b')))['msg']
    with pytest.raises(AnsibleActionFail, match='mutually exclusive'):
        run_action(ActionModule, dict(content=CONTENT, src=str(tmp_path), dest=str(tmp_path / 'b')))
    with pytest.raises(AnsibleActionFail, match='one of the following is required'):
        run_action(ActionModule, dict(dest=str(tmp_path / 'b')))
    assert os.listdir(str(tmp_path)) == []


def test_several_vault_ids_use_the_encrypt_identity(run_action, tmp_path, monkeypatch):
    secrets = [('ops', VaultSecret(b'ops password')), ('backup', VaultSecret(PASSWORD))]
    monkeypatch.setattr(vault_save.C, 'DEFAULT_VAULT_ENCRYPT_IDENTITY', 'backup')
    dest = tmp_path / 'b'
    run_action(ActionModule, dict(content=CONTENT, dest=str(dest)), secrets=secrets)
    data = dest.read_bytes()
    assert data.startswith(b'$ANSIBLE_VAULT;1.2;AES256;backup')
    assert VaultLib([('backup', VaultSecret(PASSWORD))]).decrypt(data) == DATA
