import itertools
import json

import pytest

from ansible_collections.federated.vpn.plugins.module_utils import peer_registry as reg
from ansible_collections.federated.vpn.plugins.module_utils import wireguard as wg

SETTINGS = {
    'network': '10.220.0.0/14', 'address': '10.220.0.1', 'port': 51820, 'endpoint': 'vpn.example.org:51820',
    'pools': {'management': '10.220.0.0/16', 'node': '10.221.0.0/16', 'researcher': '10.222.0.0/16'},
}


def settings(**overrides):
    data = json.loads(json.dumps(SETTINGS))
    data.update(overrides)
    return reg.Settings(data, '/state')


def psks():
    counter = itertools.count()
    return lambda: 'psk-%d' % next(counter)


def keys(n):
    return [wg.public_key(wg.generate_private_key()) for dummy in range(n)]


def test_first_addresses_follow_fed_biomed_plan():
    new, removed = reg.plan({}, settings(), [
        {'name': 'r', 'type': 'researcher'}, {'name': 'n1', 'type': 'node'},
        {'name': 'n2', 'type': 'node'}, {'name': 'm', 'type': 'management'}], psk_factory=psks())
    assert [new[n]['address'] for n in ('r', 'n1', 'n2', 'm')] == ['10.222.0.2', '10.221.0.2', '10.221.0.3', '10.220.0.2']
    assert removed == []
    assert len(set(e['psk'] for e in new.values())) == 4


def test_replanning_is_a_no_op():
    k = keys(2)
    reqs = [{'name': 'n1', 'type': 'node', 'public_key': k[0]}, {'name': 'n2', 'type': 'node', 'public_key': k[1]}]
    first, dummy = reg.plan({}, settings(), reqs, psk_factory=psks())
    again, dummy = reg.plan(first, settings(), reqs, psk_factory=psks())
    assert again == first


def test_request_without_key_keeps_known_key_and_address():
    k = keys(1)[0]
    first, dummy = reg.plan({}, settings(), [{'name': 'n1', 'type': 'node', 'public_key': k}], psk_factory=psks())
    again, dummy = reg.plan(first, settings(), [{'name': 'n1', 'type': 'node'}], psk_factory=psks())
    assert again == first


def test_new_key_for_known_name_replaces_old_one():
    old, new_key = keys(2)
    first, dummy = reg.plan({}, settings(), [{'name': 'n1', 'type': 'node', 'public_key': old}], psk_factory=psks())
    rotated, dummy = reg.plan(first, settings(), [{'name': 'n1', 'type': 'node', 'public_key': new_key}], psk_factory=psks())
    assert rotated['n1']['public_key'] == new_key
    assert rotated['n1']['address'] == first['n1']['address']
    assert rotated['n1']['psk'] == first['n1']['psk']
    assert list(reg.live_peers(rotated)) == [new_key]


def test_one_key_cannot_belong_to_two_names():
    k = keys(1)[0]
    first, dummy = reg.plan({}, settings(), [{'name': 'n1', 'type': 'node', 'public_key': k}], psk_factory=psks())
    with pytest.raises(wg.WireGuardError, match='already registered for peer n1'):
        reg.plan(first, settings(), [{'name': 'n2', 'type': 'node', 'public_key': k}])


def test_server_key_is_refused_as_peer_key():
    k = keys(1)[0]
    with pytest.raises(wg.WireGuardError, match="server's own public key"):
        reg.plan({}, settings(), [{'name': 'n1', 'type': 'node', 'public_key': k}], server_public_key=k)


def test_bad_key_is_refused_before_anything():
    with pytest.raises(wg.WireGuardError, match='public key of peer n1'):
        reg.plan({}, settings(), [{'name': 'n1', 'type': 'node', 'public_key': 'x' * 44}])


def test_fixed_address_used_and_checked():
    new, dummy = reg.plan({}, settings(), [{'name': 'n1', 'type': 'node', 'address': '10.221.0.50'},
                                           {'name': 'n2', 'type': 'node'}], psk_factory=psks())
    assert new['n1']['address'] == '10.221.0.50' and new['n2']['address'] == '10.221.0.2'
    with pytest.raises(wg.WireGuardError, match='outside the node pool'):
        reg.plan({}, settings(), [{'name': 'n1', 'type': 'node', 'address': '10.222.0.5'}])
    with pytest.raises(wg.WireGuardError, match='already used by peer n1'):
        reg.plan(new, settings(), [{'name': 'n3', 'type': 'node', 'address': '10.221.0.50'}])
    with pytest.raises(wg.WireGuardError, match='server address'):
        reg.plan({}, settings(address='10.220.0.5'), [{'name': 'm', 'type': 'management', 'address': '10.220.0.5'}])
    # a server address inside a pool is skipped by allocation
    inside, dummy = reg.plan({}, settings(address='10.220.0.2'), [{'name': 'm', 'type': 'management'}], psk_factory=psks())
    assert inside['m']['address'] == '10.220.0.3'


def test_fixed_address_never_shadows_existing_dynamic_one():
    first, dummy = reg.plan({}, settings(), [{'name': 'n1', 'type': 'node'}], psk_factory=psks())
    new, dummy = reg.plan(first, settings(), [{'name': 'n1', 'type': 'node'}, {'name': 'n2', 'type': 'node'}],
                          psk_factory=psks())
    assert new['n1']['address'] == '10.221.0.2' and new['n2']['address'] == '10.221.0.3'


def test_removed_address_is_reused_lowest_first():
    first, dummy = reg.plan({}, settings(), [{'name': n, 'type': 'node'} for n in ('a', 'b', 'c')], psk_factory=psks())
    gone, removed = reg.plan(first, settings(), [{'name': 'b', 'state': 'absent'}])
    assert removed == ['b'] and set(gone) == {'a', 'c'}
    back, dummy = reg.plan(gone, settings(), [{'name': 'd', 'type': 'node'}], psk_factory=psks())
    assert back['d']['address'] == '10.221.0.3'


def test_exclusive_purges_unlisted_peers_only():
    first, dummy = reg.plan({}, settings(), [{'name': n, 'type': 'node'} for n in ('a', 'b', 'c')], psk_factory=psks())
    new, removed = reg.plan(first, settings(), [{'name': 'a', 'type': 'node'}, {'name': 'c', 'type': 'node'}],
                            exclusive=True)
    assert removed == ['b'] and new['a'] == first['a'] and new['c'] == first['c']
    kept, removed = reg.plan(first, settings(), [{'name': 'a', 'type': 'node'}], exclusive=False)
    assert removed == [] and kept == first


def test_type_change_moves_peer_to_its_pool():
    first, dummy = reg.plan({}, settings(), [{'name': 'a', 'type': 'node'}], psk_factory=psks())
    new, dummy = reg.plan(first, settings(), [{'name': 'a', 'type': 'researcher'}])
    assert new['a']['address'] == '10.222.0.2' and new['a']['psk'] == first['a']['psk']


def test_pool_exhaustion_is_reported():
    small = settings(pools=dict(SETTINGS['pools'], node='10.221.0.0/30'))
    new, dummy = reg.plan({}, small, [{'name': 'a', 'type': 'node'}], psk_factory=psks())
    assert new['a']['address'] == '10.221.0.2'
    with pytest.raises(wg.WireGuardError, match='exhausted'):
        reg.plan(new, small, [{'name': 'b', 'type': 'node'}])


def test_duplicate_and_invalid_requests():
    with pytest.raises(wg.WireGuardError, match='listed twice'):
        reg.plan({}, settings(), [{'name': 'a', 'type': 'node'}, {'name': 'a', 'type': 'node'}])
    with pytest.raises(wg.WireGuardError, match='type must be one of'):
        reg.plan({}, settings(), [{'name': 'a', 'type': 'hospital'}])
    with pytest.raises(wg.WireGuardError, match='peer name'):
        reg.plan({}, settings(), [{'name': 'a b', 'type': 'node'}])


def test_input_registry_is_not_modified():
    first, dummy = reg.plan({}, settings(), [{'name': 'a', 'type': 'node'}], psk_factory=psks())
    snapshot = json.dumps(first, sort_keys=True)
    reg.plan(first, settings(), [{'name': 'a', 'state': 'absent'}, {'name': 'b', 'type': 'node'}])
    assert json.dumps(first, sort_keys=True) == snapshot


@pytest.mark.parametrize('override, message', [
    ({'network': '10.220.0.0/33'}, 'settings network'),
    ({'address': '10.9.0.1'}, 'outside network'),
    ({'port': 70000}, 'outside 1-65535'),
    ({'port': 'x'}, 'not a number'),
    ({'endpoint': 'nohostport'}, 'host:port'),
    ({'pools': {'node': '10.221.0.0/16', 'researcher': '10.222.0.0/16'}}, 'lacks management'),
    ({'pools': dict(SETTINGS['pools'], node='10.9.0.0/16')}, 'outside network'),
])
def test_settings_errors_name_the_key(override, message):
    with pytest.raises(wg.WireGuardError, match=message):
        settings(**override)


def test_describe_has_no_secret():
    k = keys(1)[0]
    new, dummy = reg.plan({}, settings(), [{'name': 'a', 'type': 'node', 'public_key': k}], psk_factory=lambda: 'SECRETPSK')
    text = reg.describe(new)
    assert 'SECRETPSK' not in text and k in text and '10.221.0.2' in text


def test_peer_result_for_client():
    new, dummy = reg.plan({}, settings(), [{'name': 'a', 'type': 'node'}], psk_factory=lambda: 'P')
    out = reg.peer_result(settings(), 'a', new['a'], 'SERVERPUB')
    assert out['interface_address'] == '10.221.0.2/14'
    assert out['allowed_ips'] == ['10.220.0.0/14']
    assert out['endpoint'] == 'vpn.example.org:51820'
    assert out['server_address'] == '10.220.0.1'
