import os
import stat

from ansible_collections.federated.vpn.plugins.module_utils import wireguard as wg
from ansible_collections.federated.vpn.plugins.modules import wg_client_config
from ansible_collections.federated.vpn.tests.unit.constants import RFC7748_PRIVATE, RFC7748_PUBLIC

SERVER = wg.public_key(wg.generate_private_key())
PSK = wg.generate_psk()


def args(tmp_path, **over):
    base = dict(path=str(tmp_path / 'peer' / 'wg0.conf'), private_key_path=str(tmp_path / 'private.key'),
                server_public_key=SERVER, preshared_key=PSK, endpoint='192.0.2.2:51820',
                allowed_ips=['10.220.0.0/14'], name='hospital-a')
    base.update(over)
    return base


def test_four_step_and_content(run_module, tmp_path):
    wg.atomic_write(str(tmp_path / 'private.key'), RFC7748_PRIVATE + '\n')
    a = args(tmp_path)
    steps = [run_module(wg_client_config, a, check_mode=True), run_module(wg_client_config, a),
             run_module(wg_client_config, a, check_mode=True), run_module(wg_client_config, a)]
    assert [s['changed'] for s in steps] == [True, True, False, False]
    conf = open(a['path']).read()
    assert 'PrivateKey = %s' % RFC7748_PRIVATE in conf and 'PresharedKey = %s' % PSK in conf
    assert 'Endpoint = 192.0.2.2:51820' in conf and 'PersistentKeepalive = 25' in conf
    assert stat.S_IMODE(os.stat(a['path']).st_mode) == 0o600
    assert steps[1]['public_key'] == RFC7748_PUBLIC


def test_diff_and_result_hide_secrets(run_module, tmp_path):
    wg.atomic_write(str(tmp_path / 'private.key'), RFC7748_PRIVATE + '\n')
    result = run_module(wg_client_config, args(tmp_path), diff=True)
    text = repr(result)
    assert RFC7748_PRIVATE not in text and PSK not in text
    assert SERVER in result['diff']['after']


def test_server_change_rewrites(run_module, tmp_path):
    wg.atomic_write(str(tmp_path / 'private.key'), RFC7748_PRIVATE + '\n')
    run_module(wg_client_config, args(tmp_path))
    assert run_module(wg_client_config, args(tmp_path, endpoint='vpn.example.org:51820'))['changed']
    assert 'Endpoint = vpn.example.org:51820' in open(args(tmp_path)['path']).read()


def test_missing_private_key(run_module, tmp_path):
    assert run_module(wg_client_config, args(tmp_path), check_mode=True)['changed']
    failed = run_module(wg_client_config, args(tmp_path))
    assert failed['failed'] and 'wg_keypair' in failed['msg']


def test_bad_inputs(run_module, tmp_path):
    wg.atomic_write(str(tmp_path / 'private.key'), RFC7748_PRIVATE + '\n')
    assert 'server_public_key' in run_module(wg_client_config, args(tmp_path, server_public_key='nope'))['msg']
    assert 'host:port' in run_module(wg_client_config, args(tmp_path, endpoint='vpn'))['msg']
    assert 'allowed_ips' in run_module(wg_client_config, args(tmp_path, allowed_ips=['10.0.0.0/33']))['msg']


def test_nothing_can_add_lines_to_the_file(run_module, tmp_path):
    wg.atomic_write(str(tmp_path / 'private.key'), RFC7748_PRIVATE + '\n')
    cases = [
        (dict(name='hospital-a\n[Peer]'), 'peer name'),
        (dict(name='hospital-a\n'), 'peer name'),
        (dict(endpoint='vpn:51820\nPostUp = id'), 'endpoint'),
        (dict(endpoint='vpn\n:51820'), 'endpoint'),
        (dict(endpoint='127.0.0.1:51820'), 'loopback'),
        (dict(endpoint='0.0.0.0:51820'), 'dial'),
        (dict(endpoint='vpn:port'), 'port'),
        (dict(endpoint='[2001:db8::1]:51820'), 'IPv6'),
        (dict(server_public_key=SERVER + '\n'), 'server_public_key'),
        (dict(preshared_key='A' * 43 + '='), 'preshared_key'),
        (dict(allowed_ips=[]), 'allowed_ips'),
    ]
    for over, message in cases:
        result = run_module(wg_client_config, args(tmp_path, **over))
        assert result['failed'] and message in result['msg'], (over, result)
        assert PSK not in result['msg']
    assert not os.path.exists(args(tmp_path)['path'])
