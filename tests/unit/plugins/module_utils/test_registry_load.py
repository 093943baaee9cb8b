"""The registry is validated whenever it is read: nothing in peers.json reaches wg0.conf
unchecked, and every problem is one line naming the file, the peer and the field."""
import json

import pytest

from ansible_collections.federated.vpn.plugins.module_utils import peer_registry as reg
from ansible_collections.federated.vpn.plugins.module_utils import wireguard as wg

SETTINGS = reg.Settings({
    'network': '10.220.0.0/14', 'address': '10.220.0.1', 'port': 51820, 'endpoint': 'vpn.example.org:51820',
    'pools': {'management': '10.220.0.0/16', 'node': '10.221.0.0/16', 'researcher': '10.222.0.0/16'},
}, '/state')
KEY_A = wg.public_key(wg.generate_private_key())
KEY_B = wg.public_key(wg.generate_private_key())
PSK = wg.generate_psk()


def entry(**over):
    data = dict(type='node', address='10.221.0.2', public_key=KEY_A, psk=PSK)
    data.update(over)
    return data


def text(peers, fmt=1):
    return json.dumps({'format': fmt, 'peers': peers})


def problem(registry_text):
    with pytest.raises(wg.WireGuardError) as err:
        reg.parse_registry(registry_text, SETTINGS, '/state/peers.json')
    message = str(err.value)
    assert '\n' not in message and message.startswith('/state/peers.json: ')
    assert PSK not in message and KEY_A not in message
    return message


def test_a_valid_registry_loads():
    peers = {'a': entry(), 'b': entry(address='10.221.0.3', public_key=None)}
    assert reg.parse_registry(text(peers), SETTINGS) == peers


@pytest.mark.parametrize('registry_text', ['[]', 'null', '"peers"', '{}', text({}, fmt=2), '{"format": 1, "peers": []}'])
def test_wrong_shapes_fail_in_one_line(registry_text):
    assert 'not a peer registry' in problem(registry_text)


def test_not_json():
    assert 'not valid JSON' in problem('{"format": 1, "peers": {')


def test_a_name_twice_in_the_file():
    assert 'appears twice' in problem('{"format": 1, "peers": {"a": %s, "a": %s}}'
                                      % (json.dumps(entry()), json.dumps(entry(address='10.221.0.3'))))


@pytest.mark.parametrize('peers, where', [
    ({'a': entry(public_key=KEY_A + '\n\n[Peer]\nPublicKey = ' + KEY_B)}, 'peer "a", field public_key'),
    ({'a': entry(psk=wg.generate_psk() + '\nAllowedIPs = 0.0.0.0/0')}, 'peer "a", field psk'),
    ({'a': entry(psk=None)}, 'peer "a", field psk'),
    ({'a': entry(public_key='A' * 43 + '=')}, 'peer "a", field public_key'),
    ({'a\n[Peer]': entry()}, 'field name'),
    ({'a': entry(type='admin')}, 'peer "a", field type'),
    ({'a': entry(address='10.222.0.2')}, 'peer "a", field address'),
    ({'a': entry(address='10.221.0.1')}, 'peer "a", field address'),
    ({'a': entry(address='10.220.0.1', type='management')}, 'peer "a", field address'),
    ({'a': entry(address='10.221.0.2/32')}, 'peer "a", field address'),
    ({'a': entry(address='010.221.0.2')}, 'peer "a", field address'),
    ({'a': entry(extra='x')}, 'peer "a", field extra: unknown field'),
    ({'a': dict((k, v) for k, v in entry().items() if k != 'psk')}, 'peer "a", field psk: missing'),
    ({'a': 'entry'}, 'peer "a", field (entry)'),
    ({'a': entry(), 'b': entry(public_key=KEY_B)}, 'peer "b", field address: is also the address of peer "a"'),
    ({'a': entry(), 'b': entry(address='10.221.0.3')}, 'peer "b", field public_key: is also the public key'),
])
def test_every_field_of_every_entry_is_checked(peers, where):
    assert where in problem(text(peers))


def test_a_newline_key_never_reaches_wg0_conf(tmp_path):
    state = str(tmp_path)
    with open(str(tmp_path / 'peers.json'), 'w') as handle:
        handle.write(text({'a': entry(public_key=KEY_A + '\n\n[Peer]\nPublicKey = ' + KEY_B)}))
    with pytest.raises(wg.WireGuardError, match='field public_key'):
        reg.load_registry(state, SETTINGS)


def test_missing_registry_is_none(tmp_path):
    assert reg.load_registry(str(tmp_path), SETTINGS) is None


def test_lost_registry_with_peers_in_wg0_conf_fails_closed(tmp_path):
    conf = wg.render_server_config(wg.generate_private_key(), 51820, [
        dict(name='h1', type='node', address='10.221.0.2', public_key=KEY_A, psk=PSK),
        dict(name='r', type='researcher', address='10.222.0.2', public_key=KEY_B, psk=PSK)])
    wg.atomic_write(str(tmp_path / 'wg0.conf'), conf)
    with pytest.raises(wg.WireGuardError) as err:
        reg.refuse_lost_registry(str(tmp_path))
    assert '2 peer(s) (h1, r)' in str(err.value) and 'restore.yml' in str(err.value)
    assert PSK not in str(err.value)


def test_lost_registry_with_live_peers_fails_closed(tmp_path):
    with pytest.raises(wg.WireGuardError, match='running interface has 3 peer'):
        reg.refuse_lost_registry(str(tmp_path), live_peer_count=3)


def test_no_registry_and_no_peers_anywhere_is_a_first_start(tmp_path):
    wg.atomic_write(str(tmp_path / 'wg0.conf'), wg.render_server_config(wg.generate_private_key(), 51820, []))
    reg.refuse_lost_registry(str(tmp_path))
