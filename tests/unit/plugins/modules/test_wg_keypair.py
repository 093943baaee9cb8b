import os
import stat

from ansible_collections.federated.vpn.plugins.module_utils import wireguard as wg
from ansible_collections.federated.vpn.plugins.modules import wg_keypair
from ansible_collections.federated.vpn.tests.unit.constants import RFC7748_PRIVATE, RFC7748_PUBLIC


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_four_step_check_mode_pattern(run_module, tmp_path):
    path = str(tmp_path / 'keys' / 'private.key')
    steps = [run_module(wg_keypair, {'path': path}, check_mode=True),
             run_module(wg_keypair, {'path': path}),
             run_module(wg_keypair, {'path': path}, check_mode=True),
             run_module(wg_keypair, {'path': path})]
    assert [s['changed'] for s in steps] == [True, True, False, False]
    assert steps[0]['public_key'] is None
    assert steps[1]['public_key'] == steps[2]['public_key'] == steps[3]['public_key']
    private = open(path).read().strip()
    assert wg.public_key(private) == steps[1]['public_key']
    assert mode(path) == 0o600 and mode(os.path.dirname(path)) == 0o700


def test_existing_key_is_kept_and_never_returned(run_module, tmp_path):
    path = str(tmp_path / 'k')
    wg.atomic_write(path, RFC7748_PRIVATE + '\n')
    result = run_module(wg_keypair, {'path': path}, diff=True)
    assert not result['changed'] and result['public_key'] == RFC7748_PUBLIC
    assert RFC7748_PRIVATE not in repr(result)


def test_regenerate_always_rotates(run_module, tmp_path):
    path = str(tmp_path / 'k')
    wg.atomic_write(path, RFC7748_PRIVATE + '\n')
    result = run_module(wg_keypair, {'path': path, 'regenerate': 'always'}, diff=True)
    assert result['changed'] and result['generated']
    assert result['public_key'] != RFC7748_PUBLIC
    assert result['diff']['before']['public_key'] == RFC7748_PUBLIC
    assert open(path).read().strip() not in repr(result)


def test_wrong_mode_is_fixed(run_module, tmp_path):
    path = str(tmp_path / 'k')
    wg.atomic_write(path, RFC7748_PRIVATE, mode=0o644)
    assert run_module(wg_keypair, {'path': path}, check_mode=True)['changed']
    assert mode(path) == 0o644
    result = run_module(wg_keypair, {'path': path})
    assert result['changed'] and not result['generated'] and mode(path) == 0o600


def test_corrupt_key_fails_unless_regenerating(run_module, tmp_path):
    path = str(tmp_path / 'k')
    wg.atomic_write(path, 'this is not a key')
    failed = run_module(wg_keypair, {'path': path})
    assert failed['failed'] and 'regenerate=always' in failed['msg']
    assert open(path).read() == 'this is not a key'
    assert run_module(wg_keypair, {'path': path, 'regenerate': 'always'})['changed']
    assert wg.read_private_key(path)


def test_zero_or_non_canonical_key_file_is_refused(run_module, tmp_path):
    path = str(tmp_path / 'k')
    for bad in ('A' * 43 + '=', RFC7748_PRIVATE[:42] + 'p='):
        wg.atomic_write(path, bad + '\n')
        failed = run_module(wg_keypair, {'path': path})
        assert failed['failed'] and bad not in failed['msg']
        assert open(path).read() == bad + '\n'


def test_the_key_directory_is_made_and_kept_private(run_module, tmp_path):
    directory = tmp_path / 'peers' / 'hospital1'
    path = str(directory / 'private.key')
    assert run_module(wg_keypair, {'path': path})['generated'] and mode(str(directory)) == 0o700
    assert mode(str(tmp_path / 'peers')) == 0o700
    assert not run_module(wg_keypair, {'path': path})['changed']
    os.chmod(str(directory), 0o755)
    assert run_module(wg_keypair, {'path': path}, check_mode=True)['changed'] and mode(str(directory)) == 0o755
    result = run_module(wg_keypair, {'path': path})
    assert result['changed'] and not result['generated'] and mode(str(directory)) == 0o700
