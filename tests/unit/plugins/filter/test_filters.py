import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.federated.vpn.plugins.filter.vpn_inventory import (
    vpn_local_links, vpn_peer_requests, vpn_peers, vpn_validate)
from ansible_collections.federated.vpn.plugins.filter.wireguard import tunnels_to_check, wg_pubkey, wg_valid_key
from ansible_collections.federated.vpn.tests.unit.constants import RFC7748_PRIVATE, RFC7748_PUBLIC

SETTINGS = {
    'network': '10.220.0.0/14', 'address': '10.220.0.1', 'port': 51820, 'endpoint': '192.0.2.2',
    'endpoint_port': 51820,
    'pools': {'management': '10.220.0.0/16', 'node': '10.221.0.0/16', 'researcher': '10.222.0.0/16'},
}


def test_wg_pubkey_and_valid_key():
    assert wg_pubkey(RFC7748_PRIVATE) == RFC7748_PUBLIC
    assert wg_valid_key(RFC7748_PUBLIC) and not wg_valid_key('nope')
    with pytest.raises(AnsibleFilterError):
        wg_pubkey('nope')


def inventory(**hostvars):
    groups = {'vpnserver': ['server'], 'researcher': ['server'], 'nodes': ['n1', 'n2']}
    hv = {'server': {}, 'n1': {}, 'n2': {}}
    for host, values in hostvars.items():
        hv.setdefault(host, {}).update(values)
    return groups, hv


def test_vpn_peers_from_groups_with_defaults_and_keys():
    groups, hv = inventory(n2={'node_instances': [{'name': 'n2a'}, {'name': 'n2b', 'vpn_address': '10.221.0.9'}],
                               'vpnclient_public_keys': {'n2b': RFC7748_PUBLIC}})
    peers = vpn_peers(groups, hv, [{'name': 'laptop', 'public_key': RFC7748_PUBLIC}])
    assert [(p['name'], p['type'], p['host']) for p in peers] == [
        ('server', 'researcher', 'server'), ('n1', 'node', 'n1'), ('n2a', 'node', 'n2'), ('n2b', 'node', 'n2'),
        ('laptop', 'management', None)]
    assert peers[3]['address'] == '10.221.0.9' and peers[3]['public_key'] == RFC7748_PUBLIC
    assert peers[1]['public_key'] is None


def test_valid_inventory_has_no_errors():
    groups, hv = inventory()
    assert vpn_validate(groups, hv, SETTINGS) == []


@pytest.mark.parametrize('change, message', [
    (dict(network='10.220.0.0/33'), 'vpnserver_network'),
    (dict(address='10.9.9.9'), 'vpnserver_address'),
    (dict(pools=dict(SETTINGS['pools'], node='10.222.0.0/17')), 'vpnserver_pools.node 10.222.0.0/17 overlaps'),
    (dict(pools=dict(SETTINGS['pools'], node='10.9.0.0/16')), 'outside vpnserver_network'),
    (dict(port=0), 'vpnserver_port'),
    (dict(endpoint_port='x'), 'vpnserver_endpoint_port'),
    (dict(endpoint='127.0.0.1'), 'loopback'),
    (dict(endpoint=''), 'vpnserver_endpoint: empty'),
])
def test_server_setting_errors_name_the_variable(change, message):
    groups, hv = inventory()
    errors = vpn_validate(groups, hv, dict(SETTINGS, **change))
    assert any(message in e for e in errors), errors


@pytest.mark.parametrize('hostvars, message', [
    ({'n2': {'node_instances': [{'name': 'n1'}]}}, 'peer name n1 is also used by n1: node_instances[0].name'),
    ({'n1': {'node_instances': [{'name': 'bad name'}]}}, 'n1: node_instances[0].name: peer name'),
    ({'n1': {'node_instances': [{'name': 'a', 'vpn_address': '10.222.0.5'}]}}, 'outside the usable range'),
    ({'n1': {'node_instances': [{'name': 'a', 'vpn_address': '10.221.0.9'}, {'name': 'b', 'vpn_address': '10.221.0.9'}]}},
     'also the address of a'),
    ({'n1': {'node_instances': 'n1'}}, 'node_instances must be a list'),
    ({'n1': {'node_instances': [{'vpn_address': '10.221.0.3'}]}}, 'node_instances[0] must be a mapping with a name'),
    ({'server': {'researcher_vpn_address': 'ten'}}, 'not an IPv4 address'),
])
def test_peer_errors_name_host_and_variable(hostvars, message):
    groups, hv = inventory(**hostvars)
    errors = vpn_validate(groups, hv, SETTINGS)
    assert any(message in e for e in errors), errors


def test_pool_too_small_and_server_count():
    groups, hv = inventory(n1={'node_instances': [{'name': 'a'}, {'name': 'b'}]})
    errors = vpn_validate(groups, hv, dict(SETTINGS, pools=dict(SETTINGS['pools'], node='10.221.0.0/30')))
    assert any('room for 1 peers, the inventory declares 3' in e for e in errors), errors
    groups['vpnserver'] = ['a', 'b']
    assert any('exactly one host' in e for e in vpn_validate(groups, hv, SETTINGS))


def test_extra_peer_bad_key():
    groups, hv = inventory()
    errors = vpn_validate(groups, hv, dict(SETTINGS, extra_peers=[{'name': 'laptop', 'public_key': 'x'}]))
    assert any('vpnserver_extra_peers[0]: public_key of laptop' in e for e in errors), errors


def test_duplicate_public_keys():
    groups, hv = inventory(n1={'vpnclient_public_keys': {'n1': RFC7748_PUBLIC}})
    errors = vpn_validate(groups, hv, dict(SETTINGS, extra_peers=[{'name': 'laptop', 'public_key': RFC7748_PUBLIC}]))
    assert any('public_key of laptop is also the key of n1' in e for e in errors), errors


def test_gui_ports_clash_only_on_the_same_machine():
    gui = {'enabled': True, 'admin_email': 'it@x.example', 'admin_password': 'long-password'}
    groups, hv = inventory(n1={'node_instances': [{'name': 'a', 'gui': gui}], 'ansible_host': '192.0.2.5'},
                           n2={'node_instances': [{'name': 'b', 'gui': gui}], 'ansible_host': '192.0.2.6'})
    assert vpn_validate(groups, hv, SETTINGS) == []
    hv['n2']['ansible_host'] = '192.0.2.5'
    errors = vpn_validate(groups, hv, SETTINGS)
    assert errors == ['n2: node_instances[0] (b) (gui_base_port + 0): tcp/8443 on machine 192.0.2.5 is already taken '
                      'by n1: node_instances[0] (a) (gui_base_port + 0)'], errors


def test_gui_password_is_never_echoed():
    gui = {'enabled': True, 'admin_email': 'it@x.example', 'admin_password': 'secret'}
    groups, hv = inventory(n1={'node_instances': [{'name': 'a', 'gui': gui}]})
    errors = vpn_validate(groups, hv, SETTINGS)
    assert any('gui.admin_password' in e for e in errors) and not any('secret' in e for e in errors), errors


# which tunnels the server's handshakes prove (vpnclient settle.yml)
# the server's vpn-status, as peers.yml keeps it
HANDSHAKES = (('KA', 9900), ('KB', 9700), ('KC', 0))
SERVER_VIEW = {'now': 10000, 'peers': [{'public_key': key, 'latest_handshake': seen} for key, seen in HANDSHAKES]}
PUBLIC_KEYS = {'a': 'KA', 'b': 'KB', 'c': 'KC'}


def tunnel(peer, fresh=True):
    return {'container': 'vpn-' + peer, 'peer': peer, 'fresh': fresh}


def test_a_fresh_tunnel_with_a_recent_handshake_needs_no_check():
    assert tunnels_to_check([tunnel('a')], SERVER_VIEW, PUBLIC_KEYS) == []


@pytest.mark.parametrize('case, tunnels, keys', [
    ('changed this run', [tunnel('a', fresh=False)], PUBLIC_KEYS),
    ('handshake 300 s ago', [tunnel('b')], PUBLIC_KEYS),
    ('no handshake', [tunnel('c')], PUBLIC_KEYS),
    ('key unknown to the server', [tunnel('d')], dict(PUBLIC_KEYS, d='KD')),
    ('public key not known here', [tunnel('a')], {}),
])
def test_every_other_tunnel_is_checked(case, tunnels, keys):
    assert tunnels_to_check(tunnels, SERVER_VIEW, keys) == [tunnels[0]['container']], case


def test_no_server_view_checks_every_tunnel():
    assert tunnels_to_check([tunnel('a'), tunnel('b')], {}, PUBLIC_KEYS) == ['vpn-a', 'vpn-b']
    assert tunnels_to_check([tunnel('a')], None, PUBLIC_KEYS) == ['vpn-a']


def test_the_researcher_on_the_servers_machine_is_linked_locally_and_not_registered():
    groups, hv = inventory()
    peers = vpn_peers(groups, hv)
    assert [(p['name'], p['link']) for p in peers] == [('server', 'local'), ('n1', 'tunnel'), ('n2', 'tunnel')]
    assert [r['name'] for r in vpn_peer_requests(peers)] == ['n1', 'n2']
    assert vpn_local_links(peers, SETTINGS['pools'], SETTINGS['network']) == {
        'server': {'address': '10.222.0.2', 'interface_address': '10.222.0.2/14', 'link': 'local', 'type': 'researcher'}}


@pytest.mark.parametrize('server, researcher, link', [
    ({}, {}, 'tunnel'),
    ({'ansible_host': '192.0.2.1'}, {'ansible_host': '192.0.2.1'}, 'local'),
    ({'ansible_connection': 'local'}, {'ansible_connection': 'local'}, 'local'),
    ({}, {'researcher_vpn_link': 'tunnel'}, 'tunnel'),
    # a rootless Podman server cannot share a network with the researcher
    ({'ansible_connection': 'local', 'container_engine': 'podman'}, {'ansible_connection': 'local'}, 'tunnel'),
])
def test_auto_is_local_on_the_servers_machine_only(server, researcher, link):
    groups = {'vpnserver': ['vpn'], 'researcher': ['lab'], 'nodes': ['n1']}
    hv = {'vpn': server, 'lab': researcher, 'n1': {}}
    assert vpn_peers(groups, hv)[0]['link'] == link


def test_a_researcher_kept_on_its_tunnel_is_registered():
    groups, hv = inventory(server={'researcher_vpn_link': 'tunnel', 'researcher_vpn_address': '10.222.0.9'})
    peers = vpn_peers(groups, hv)
    assert vpn_local_links(peers, SETTINGS['pools'], SETTINGS['network']) == {}
    assert vpn_peer_requests(peers)[0] == {'name': 'server', 'type': 'researcher', 'public_key': None,
                                           'address': '10.222.0.9'}


def test_a_local_researchers_fixed_address_is_its_own():
    groups, hv = inventory(server={'researcher_vpn_address': '10.222.0.9'})
    links = vpn_local_links(vpn_peers(groups, hv), SETTINGS['pools'], SETTINGS['network'])
    assert links['server']['interface_address'] == '10.222.0.9/14'


@pytest.mark.parametrize('hostvars, extra, message', [
    ({'server': {'researcher_vpn_link': 'bridge'}}, [], "server: researcher_vpn_link 'bridge' is not one of"),
    ({'lab': {'researcher_vpn_link': 'local'}}, [],
     "lab: researcher_vpn_link is local, but only a researcher on the VPN server's machine (server)"),
    ({}, [{'name': 'laptop', 'type': 'researcher', 'public_key': RFC7748_PUBLIC}],
     "vpnserver_extra_peers[0]: peer laptop needs a fixed address: the researcher pool's first address 10.222.0.2"),
    ({'server': {'researcher_vpn_link': 'local', 'container_engine': 'podman', 'container_host_image_source': 'pull'}},
     [], "server: researcher_vpn_link is local, but the VPN server (server) runs on rootless Podman"),
])
def test_link_errors_name_the_host_and_variable(hostvars, extra, message):
    groups, hv = inventory(**hostvars)
    if 'lab' in hostvars:
        groups['researcher'] = ['lab']
    errors = vpn_validate(groups, hv, dict(SETTINGS, extra_peers=extra))
    assert [e for e in errors if message in e], errors
