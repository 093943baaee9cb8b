import base64
import ipaddress
import os
import stat

import pytest

from ansible_collections.federated.vpn.plugins.module_utils import wireguard as wg
from ansible_collections.federated.vpn.tests.unit.constants import RFC7748_PRIVATE, RFC7748_PUBLIC


def test_public_key_matches_rfc7748_vector():
    assert wg.public_key(RFC7748_PRIVATE) == RFC7748_PUBLIC


def test_generated_keys_are_valid_and_distinct():
    keys = set(wg.generate_private_key() for dummy in range(20))
    assert len(keys) == 20
    for key in keys:
        assert wg.validate_key(key) == key
        assert wg.is_valid_key(wg.public_key(key))
    assert wg.is_valid_key(wg.generate_psk())


@pytest.mark.parametrize('bad', [
    '', 'not a key', 'A' * 44, RFC7748_PUBLIC[:-1], RFC7748_PUBLIC + 'A',
    base64.b64encode(b'x' * 31).decode(), base64.b64encode(b'x' * 33).decode(),
    RFC7748_PUBLIC.replace('h', '!'), None, 42,
])
def test_validate_key_rejects_without_echoing(bad):
    with pytest.raises(wg.WireGuardError) as err:
        wg.validate_key(bad, 'public key of x')
    assert 'public key of x' in str(err.value)
    if isinstance(bad, str) and bad:
        assert bad not in str(err.value)


def test_read_private_key_allows_the_newline_wg_genkey_writes(tmp_path):
    path = str(tmp_path / 'k')
    wg.atomic_write(path, RFC7748_PRIVATE + '\n')
    assert wg.read_private_key(path) == RFC7748_PRIVATE


def test_atomic_write_sets_mode_and_replaces(tmp_path):
    path = str(tmp_path / 'secret')
    wg.atomic_write(path, 'one')
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    wg.atomic_write(path, 'two')
    assert open(path).read() == 'two'
    assert os.listdir(str(tmp_path)) == ['secret']


def test_read_private_key(tmp_path):
    path = str(tmp_path / 'k')
    assert wg.read_private_key(path) is None
    wg.atomic_write(path, RFC7748_PRIVATE + '\n')
    assert wg.read_private_key(path) == RFC7748_PRIVATE
    wg.atomic_write(path, 'garbage')
    with pytest.raises(wg.WireGuardError):
        wg.read_private_key(path)


def peer(name, addr, key=RFC7748_PUBLIC, peer_type='node'):
    return dict(name=name, type=peer_type, address=addr, public_key=key, psk='P' * 43 + '=')


def test_render_server_config_orders_by_address_and_skips_keyless():
    conf = wg.render_server_config(RFC7748_PRIVATE, 51820, [
        peer('b', '10.221.0.10'), peer('a', '10.221.0.9'), peer('nokey', '10.221.0.3', key=None)])
    assert conf.index('# a (node)') < conf.index('# b (node)')
    assert 'nokey' not in conf
    assert 'AllowedIPs = 10.221.0.9/32' in conf
    assert conf.count('[Peer]') == 2
    assert 'ListenPort = 51820' in conf


def test_redact_hides_every_secret():
    conf = wg.render_client_config(RFC7748_PRIVATE, RFC7748_PUBLIC, 'S' * 43 + '=', 'vpn:51820', ['10.220.0.0/14'])
    red = wg.redact(conf)
    assert RFC7748_PRIVATE not in red and 'S' * 43 not in red
    assert RFC7748_PUBLIC in red
    assert red.count(wg.REDACTED) == 2


def test_parse_dump_drops_private_key():
    dump = 'PRIV\tPUB\t51820\toff\nK1\tPSK1\t1.2.3.4:5\t10.221.0.2/32\t0\t0\t0\toff\nK2\t(none)\t(none)\t(none)\t0\t0\t0\toff\n'
    port, peers = wg.parse_dump(dump)
    assert port == 51820
    assert peers == {'K1': ('PSK1', ('10.221.0.2/32',)), 'K2': (None, ())}
    assert 'PRIV' not in repr(peers)


def test_allocate_lowest_free_and_exhaustion():
    pool = ipaddress.IPv4Network('10.221.0.0/29')
    used = set()
    got = []
    for dummy in range(5):
        addr = wg.allocate(pool, used)
        used.add(addr)
        got.append(str(addr))
    assert got == ['10.221.0.2', '10.221.0.3', '10.221.0.4', '10.221.0.5', '10.221.0.6']
    with pytest.raises(wg.WireGuardError, match='exhausted'):
        wg.allocate(pool, used)
    used.discard(ipaddress.IPv4Address('10.221.0.3'))
    assert str(wg.allocate(pool, used)) == '10.221.0.3'


@pytest.mark.parametrize('name', ['a', 'node-1', 'hospital_a.site', 'x' * 63])
def test_peer_names_accepted(name):
    assert wg.validate_peer_name(name) == name


@pytest.mark.parametrize('name', ['', '-a', 'a b', 'a/b', 'x' * 64, None, 'é'])
def test_peer_names_rejected(name):
    with pytest.raises(wg.WireGuardError):
        wg.validate_peer_name(name)


# ------------------------------------------------- one validation of keys and names

B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'


def other_spelling(key):
    """The same 32 bytes in non-canonical base64: the last character's two unused bits set."""
    return key[:42] + B64[B64.index(key[42]) ^ 1] + '='


def test_non_canonical_key_is_refused():
    alt = other_spelling(RFC7748_PUBLIC)
    assert alt != RFC7748_PUBLIC and base64.b64decode(alt) == base64.b64decode(RFC7748_PUBLIC)
    with pytest.raises(wg.WireGuardError, match='canonical'):
        wg.validate_key(alt, 'public key of x')


def test_all_zero_key_is_refused():
    with pytest.raises(wg.WireGuardError, match='all zeros'):
        wg.validate_key(base64.b64encode(bytes(32)).decode(), 'public key of x')


@pytest.mark.parametrize('text', [RFC7748_PUBLIC + '\n', ' ' + RFC7748_PUBLIC, RFC7748_PUBLIC + '\n[Peer]'])
def test_key_with_anything_around_it_is_refused(text):
    assert not wg.is_valid_key(text)


def test_private_key_file_with_zero_or_non_canonical_key_is_refused(tmp_path):
    path = str(tmp_path / 'k')
    for bad in (base64.b64encode(bytes(32)).decode(), other_spelling(RFC7748_PRIVATE), RFC7748_PRIVATE + '\n\n'):
        wg.atomic_write(path, bad + '\n')
        with pytest.raises(wg.WireGuardError):
            wg.read_private_key(path)


@pytest.mark.parametrize('name', ['n1\n', 'n1\r', '\nn1', 'n1\n[Peer]'])
def test_name_must_match_in_full(name):
    with pytest.raises(wg.WireGuardError):
        wg.validate_peer_name(name)


@pytest.mark.parametrize('endpoint', ['vpn.example.org:51820', '192.0.2.10:1', 'fl-vpn.hospital.example:65535'])
def test_valid_endpoints(endpoint):
    assert wg.validate_endpoint(endpoint) == endpoint


@pytest.mark.parametrize('endpoint, reason', [
    ('vpn.example.org', 'host:port'), ('vpn.example.org:0', 'port'), ('vpn.example.org:65536', 'port'),
    ('vpn.example.org:51820\n', 'port'), ('vpn.example.org\n:51820', 'whitespace'),
    ('vpn:51820:51820', 'holds a port'), ('[2001:db8::1]:51820', 'IPv6'), ('127.0.0.1:51820', 'loopback'),
    ('localhost:51820', 'loopback'), ('0.0.0.0:51820', 'dial'), (':51820', 'empty'),
    ('10.0.0:51820', 'IPv4'), ('vpn_host:51820', 'host name'),
])
def test_invalid_endpoints(endpoint, reason):
    with pytest.raises(wg.WireGuardError, match=reason):
        wg.validate_endpoint(endpoint)
