"""vpn_validate's checks of the endpoint, MTUs, the VPN network (private, clear of Docker
networks), forward rules, groups, pool capacity, machines, federation_name and the files on
the controller that the inventory names (from each host's inventory directory)."""
import base64

import pytest

from ansible_collections.federated.vpn.plugins.filter.vpn_inventory import vpn_validate
from ansible_collections.federated.vpn.plugins.plugin_utils import network_checks
from ansible_collections.federated.vpn.plugins.plugin_utils.federation_checks import machine_of
from ansible_collections.federated.vpn.plugins.plugin_utils.federation_name import (
    FEDERATION_DEFAULT, is_valid_federation_name)

# RFC 7748 section 6.1, Alice's public key (also in tests/unit/conftest.py)
RFC7748_PUBLIC = 'hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo='

SETTINGS = {
    'network': '10.220.0.0/14', 'address': '10.220.0.1', 'port': 51820, 'endpoint': '192.0.2.2',
    'endpoint_port': 51820, 'mtu': 1420, 'forward_allow_extra': [], 'federation_name': None,
    'pools': {'management': '10.220.0.0/16', 'node': '10.221.0.0/16', 'researcher': '10.222.0.0/16'},
}


def inventory(**hostvars):
    groups = {'all': ['server', 'n1', 'n2'], 'vpnserver': ['server'], 'researcher': ['server'], 'nodes': ['n1', 'n2']}
    hv = {'server': {}, 'n1': {}, 'n2': {}}
    for host, values in hostvars.items():
        hv.setdefault(host, {}).update(values)
    return groups, hv


def errors_of(settings=None, groups=None, **hostvars):
    default_groups, hv = inventory(**hostvars)
    return vpn_validate(groups or default_groups, hv, dict(SETTINGS, **(settings or {})))


def test_the_valid_inventory_has_no_errors():
    assert errors_of() == []


# ------------------------------------------------------------------------------ endpoint

@pytest.mark.parametrize('endpoint, message', [
    ('vpn.example.org:51820', 'server: vpnserver_endpoint: vpn.example.org:51820 holds a port'),
    ('0.0.0.0', 'server: vpnserver_endpoint: 0.0.0.0 is not an address clients can dial'),
    ('127.0.0.1', 'server: vpnserver_endpoint: 127.0.0.1 is a loopback address'),
    ('127.1.2.3', 'is a loopback address'),
    ('localhost', 'server: vpnserver_endpoint: localhost is a loopback name'),
    ('Localhost.', 'is a loopback name'),
    ('::1', 'server: vpnserver_endpoint: ::1 holds a port or is an IPv6 address'),
    ('2001:db8::1', 'is an IPv6 address'),
    ('[2001:db8::1]', 'is an IPv6 address'),
    ('vpn.example.org\n', "server: vpnserver_endpoint: 'vpn.example.org\\n' contains whitespace"),
    (' vpn.example.org', 'contains whitespace'),
    ('vpn_1.example.org', 'is not a host name or an IPv4 address'),
    ('-vpn.example.org', 'is not a host name or an IPv4 address'),
    ('300.1.2.3', 'is not a valid IPv4 address'),
    ('', 'server: vpnserver_endpoint: empty'),
    (None, 'server: vpnserver_endpoint: empty'),
])
def test_endpoint_problems_name_the_server_and_variable(endpoint, message):
    errors = errors_of(dict(endpoint=endpoint))
    assert len(errors) == 1 and message in errors[0], errors


@pytest.mark.parametrize('endpoint', ['vpn.example.org', 'vpn.example.org.', '192.0.2.2', 'VPN-1.Example.org'])
def test_endpoints_clients_can_dial(endpoint):
    assert errors_of(dict(endpoint=endpoint)) == []


# ---------------------------------------------------------------------------------- MTU

@pytest.mark.parametrize('value', ['abc', 1000, 1279, 65536, 70000, '1420\n', ' 1420', '01420', '', 1420.0, True, None])
def test_bad_mtus(value):
    assert network_checks.mtu_problem(value)


@pytest.mark.parametrize('value', [1280, 1420, '1420', 9000, 65535])
def test_good_mtus(value):
    assert network_checks.mtu_problem(value) is None


def test_server_and_client_mtus_name_host_and_variable():
    assert errors_of(dict(mtu=70000)) == ['server: vpnserver_mtu: 70000 is not within 1280-65535']
    assert errors_of(n2={'vpnclient_mtu': 'abc'}) == [
        'n2: vpnclient_mtu: abc is not a whole number (digits only, nothing around them)']
    assert errors_of(server={'vpnclient_mtu': '1420\n'}) == [
        "server: vpnclient_mtu: '1420\\n' is not a whole number (digits only, nothing around them)"]


def test_an_absent_mtu_is_the_role_default():
    settings = dict(SETTINGS)
    del settings['mtu']
    groups, hv = inventory()
    assert vpn_validate(groups, hv, settings) == []
    assert errors_of(n1={'vpnclient_mtu': 1400}) == []


# ------------------------------------------------------------------- the VPN network

@pytest.mark.parametrize('network, address, pools, private', [
    ('10.8.0.0/16', '10.8.0.1', ('10.8.0.0/18', '10.8.64.0/18', '10.8.128.0/18'), True),
    ('172.20.0.0/14', '172.20.0.1', ('172.20.0.0/16', '172.21.0.0/16', '172.22.0.0/16'), True),
    ('192.168.0.0/16', '192.168.0.1', ('192.168.0.0/18', '192.168.64.0/18', '192.168.128.0/18'), True),
    ('100.64.0.0/10', '100.64.0.1', ('100.64.0.0/16', '100.65.0.0/16', '100.66.0.0/16'), True),
    ('8.8.0.0/16', '8.8.0.1', ('8.8.0.0/18', '8.8.64.0/18', '8.8.128.0/18'), False),
    ('172.0.0.0/8', '172.16.0.1', ('172.16.0.0/16', '172.17.0.0/16', '172.18.0.0/16'), False),
    ('192.0.2.0/24', '192.0.2.1', ('192.0.2.0/26', '192.0.2.64/26', '192.0.2.128/26'), False),
])
def test_the_vpn_network_must_be_private(network, address, pools, private):
    settings = dict(network=network, address=address, pools=dict(zip(('management', 'node', 'researcher'), pools)))
    errors = errors_of(settings)
    if private:
        assert errors == []
    else:
        assert errors == ['server: vpnserver_network %s is not a private network: use one inside 10.0.0.0/8, '
                          '172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10' % network]


def docker_result(*subnets, **extra):
    """What docker_host_info (networks, verbose) registers; subnets: (name, CIDR...)."""
    networks = [{'Name': name, 'IPAM': {'Driver': 'default', 'Config': [{'Subnet': s} for s in cidrs]}}
                for name, *cidrs in subnets]
    return dict(changed=False, can_talk_to_docker=True, host_info={}, networks=networks, **extra)


OVERLAPPING = dict(network='172.16.0.0/12', address='172.20.0.1',
                   pools={'management': '172.20.0.0/16', 'node': '172.21.0.0/16', 'researcher': '172.22.0.0/16'})


def test_the_vpn_network_must_not_overlap_a_docker_network():
    networks = docker_result(('none',), ('bridge', '172.17.0.0/16', 'fd00::/64'), ('fbm', '192.168.5.0/24'))
    hostvars = {'n1': {'ansible_host': '192.0.2.5', network_checks.DOCKER_NETWORKS_VAR: networks}}
    assert errors_of(OVERLAPPING, **hostvars) == [
        'server: vpnserver_network 172.16.0.0/12 overlaps the Docker network bridge (172.17.0.0/16) on n1']
    assert errors_of(**hostvars) == []


def test_docker_networks_that_could_not_be_read_are_not_compared():
    failed = {'failed': False, 'can_talk_to_docker': False, 'msg': 'Error connecting'}
    skipped = {'changed': False, 'skipped': True, 'skip_reason': 'Conditional result was False'}
    unreachable = {'unreachable': True, 'msg': 'ssh: connect to host'}
    for result in (failed, skipped, unreachable, None, 'garbage', {'networks': 'garbage'},
                   docker_result(('odd', 'not-a-cidr'))):
        assert errors_of(OVERLAPPING, n1={network_checks.DOCKER_NETWORKS_VAR: result}) == [], result


def test_one_machine_reports_its_docker_network_once():
    networks = docker_result(('bridge', '172.17.0.0/16'))
    hostvars = dict((host, {'ansible_connection': 'local', network_checks.DOCKER_NETWORKS_VAR: networks})
                    for host in ('server', 'n1', 'n2'))
    assert errors_of(OVERLAPPING, **hostvars) == [
        'server: vpnserver_network 172.16.0.0/12 overlaps the Docker network bridge (172.17.0.0/16) on server']


# ------------------------------------------------------------------------ forward rules

FORWARD = 'server: vpnserver_forward_allow_extra[0]: '


@pytest.mark.parametrize('rule, message', [
    ('10.221.0.0/16', "'10.221.0.0/16' has no '>': write SRC>DST or SRC>DST:PROTO/PORT"),
    ('10.221.0.0/16>', "'10.221.0.0/16>' needs one source and one destination"),
    ('>10.222.0.0/16', "'>10.222.0.0/16' needs one source and one destination"),
    ('10.221.0.0/16>10.222.0.0/16>10.220.0.0/16', 'needs one source and one destination'),
    ('10.221.0.1/16>10.222.0.0/16', "the source: '10.221.0.1/16' is not an IPv4 network"),
    ('10.221.0.0/16>10.222.0.0/33', "the destination: '10.222.0.0/33' is not an IPv4 network"),
    ('nodes>10.222.0.0/16', 'the source nodes needs a prefix length'),
    ('10.221.0.7>10.222.0.2/32', 'the source 10.221.0.7 needs a prefix length (10.221.0.7/32 for one address)'),
    ('10.221.0.0/16>192.168.1.0/24', 'the destination 192.168.1.0/24 is outside vpnserver_network 10.220.0.0/14'),
    ('0.0.0.0/0>10.222.0.0/16', 'the source 0.0.0.0/0 is outside vpnserver_network'),
    ('10.221.0.0/16>10.222.0.0/16:icmp/8', "after ':' give PROTO/PORT, PROTO tcp or udp and PORT 1-65535"),
    ('10.221.0.0/16>10.222.0.0/16:tcp', "after ':' give PROTO/PORT"),
    ('10.221.0.0/16>10.222.0.0/16:tcp/0', "after ':' give PROTO/PORT"),
    ('10.221.0.0/16>10.222.0.0/16:tcp/65536', "after ':' give PROTO/PORT"),
    ('10.221.0.0/16>10.222.0.0/16:TCP/80', "after ':' give PROTO/PORT"),
    ('10.221.0.0/16>10.222.0.0/16:', "after ':' give PROTO/PORT"),
    ('10.221.0.0/16 >10.222.0.0/16', 'contains whitespace'),
    ('10.221.0.0/16>10.222.0.0/16\n', 'contains whitespace'),
    (8080, 'must be a string: write SRC>DST or SRC>DST:PROTO/PORT'),
])
def test_bad_forward_rules(rule, message):
    errors = errors_of(dict(forward_allow_extra=[rule]))
    assert len(errors) == 1 and errors[0].startswith(FORWARD) and message in errors[0], errors


@pytest.mark.parametrize('rules', [
    [], None, ['10.221.0.0/16>10.222.0.0/16'], ['10.221.0.0/16>10.222.0.5/32:tcp/8080'],
    ['10.220.0.0/14>10.222.0.0/16:udp/53', '10.221.0.7/32>10.222.0.2/32:tcp/50051']])
def test_good_forward_rules(rules):
    assert errors_of(dict(forward_allow_extra=rules)) == []


def test_forward_rules_must_be_a_list():
    assert errors_of(dict(forward_allow_extra='10.221.0.0/16>10.222.0.0/16')) == [
        'server: vpnserver_forward_allow_extra: must be a list of rules: write SRC>DST or SRC>DST:PROTO/PORT']


# ------------------------------------------------------------------ groups and pools

def test_exactly_one_researcher():
    groups, _hv = inventory()
    assert errors_of(groups=dict(groups, researcher=[])) == ['group researcher: needs exactly one host, has 0']
    assert 'group researcher: needs exactly one host, has 2 (server, n1)' in errors_of(
        groups=dict(groups, researcher=['server', 'n1']))
    groups.pop('researcher')
    assert errors_of(groups=groups) == ['group researcher: needs exactly one host, has 0']


def test_pool_capacity_counts_the_server_address_and_extra_peers():
    pools = dict(SETTINGS['pools'], management='10.220.0.0/29')
    extra = [{'name': 'laptop%d' % n} for n in range(4)]
    assert errors_of(dict(address='10.220.0.2', pools=pools, extra_peers=extra)) == []
    assert errors_of(dict(address='10.220.0.1', pools=pools, extra_peers=extra + [{'name': 'laptop4'}])) == []
    assert errors_of(dict(address='10.220.0.2', pools=pools, extra_peers=extra + [{'name': 'laptop4'}])) == [
        'server: vpnserver_pools.management: 10.220.0.0/29 has room for 4 peers, the inventory declares 5 '
        '(vpnserver_address 10.220.0.2 takes one of its addresses)']
    # extra peers of another type count in their pool, beside the inventory's (n1, n2)
    pools = dict(SETTINGS['pools'], node='10.221.0.0/29')
    extra = [{'name': 'x%d' % n, 'type': 'node'} for n in range(4)]
    assert errors_of(dict(pools=pools, extra_peers=extra[:3])) == []
    assert errors_of(dict(pools=pools, extra_peers=extra)) == [
        'server: vpnserver_pools.node: 10.221.0.0/29 has room for 5 peers, the inventory declares 6']


# --------------------------------------------------------------------------- machines

@pytest.mark.parametrize('hv, machine', [
    ({'ansible_connection': 'local'}, 'localhost'),
    ({'ansible_connection': 'ansible.builtin.local', 'ansible_host': '192.0.2.9'}, 'localhost'),
    ({'ansible_host': '127.0.0.1'}, 'localhost'),
    ({'ansible_host': '127.0.1.1', 'ansible_port': 22}, 'localhost'),
    ({'ansible_host': '::1', 'ansible_port': '22'}, 'localhost'),
    ({'ansible_host': 'LocalHost'}, 'localhost'),
    ({'ansible_host': '127.0.0.1', 'ansible_port': 2222}, 'localhost:2222'),
    ({'ansible_host': 'localhost', 'ansible_port': '2200'}, 'localhost:2200'),
    ({'ansible_host': 'Hospital.Example.'}, 'hospital.example'),
    ({'ansible_host': '192.0.2.5', 'ansible_port': 2222}, '192.0.2.5'),
    ({}, 'h'),
])
def test_machine_of(hv, machine):
    assert machine_of('H', hv) == machine


def gui(port):
    return {'enabled': True, 'admin_email': 'it@x.example', 'admin_password': 'long-password', 'port': port}


@pytest.mark.parametrize('n1, n2, clash', [
    ({'ansible_connection': 'local'}, {'ansible_host': '127.0.0.1'}, 'localhost'),
    ({'ansible_host': 'localhost', 'ansible_port': 22}, {'ansible_connection': 'local'}, 'localhost'),
    ({'ansible_host': 'Hospital.example'}, {'ansible_host': 'hospital.EXAMPLE'}, 'hospital.example'),
    ({'ansible_host': '127.0.0.1', 'ansible_port': 2222}, {'ansible_host': 'localhost', 'ansible_port': '2222'},
     'localhost:2222'),
    ({'ansible_host': '127.0.0.1', 'ansible_port': 2222}, {'ansible_host': '127.0.0.1', 'ansible_port': 2200}, None),
    ({'ansible_host': '127.0.0.1', 'ansible_port': 2222}, {'ansible_connection': 'local'}, None),
])
def test_one_machine_under_two_names(n1, n2, clash):
    errors = errors_of(n1=dict(n1, node_instances=[{'name': 'a', 'gui': gui(9443)}]),
                       n2=dict(n2, node_instances=[{'name': 'b', 'gui': gui(9443)}]))
    if clash:
        assert errors == ['n2: node_instances[0] (b).gui.port: tcp/9443 on machine %s is already taken by '
                          'n1: node_instances[0] (a).gui.port' % clash], errors
    else:
        assert errors == []


def test_a_gui_on_the_researchers_machine_reached_over_ssh():
    errors = errors_of(server={'ansible_connection': 'local'},
                       n2={'ansible_host': '127.0.0.1', 'node_instances': [{'name': 'b', 'gui': gui(8888)}]})
    assert errors == ['n2: node_instances[0] (b).gui.port: tcp/8888 on machine localhost is already taken by '
                      'server: researcher_jupyter_port']


# -------------------------------------------------------------------- federation_name

def test_the_default_federation_name():
    assert FEDERATION_DEFAULT == 'fbm' and is_valid_federation_name(FEDERATION_DEFAULT)
    assert errors_of(dict(federation_name='fbm'), server={'federation_name': 'fbm'}) == []


@pytest.mark.parametrize('name', ['Fbm', 'fbm\n', ' fbm', 'f' * 33, '-fbm', 'fbm_1', '', None, 5, 'fé'])
def test_invalid_federation_names(name):
    assert not is_valid_federation_name(name)
    hostvars = dict((host, {'federation_name': name}) for host in ('server', 'n1', 'n2'))
    errors = errors_of(dict(federation_name=name), **hostvars)
    rule = "must be 1-32 characters of lowercase letters, digits or '-', starting with a letter or digit"
    assert errors == ['%s: federation_name %r %s' % (host, name, rule) for host in ('server', 'n1', 'n2')], errors


@pytest.mark.parametrize('name', ['a', 'fbm', 'hospital-federation-2026', '0day', 'f' * 32, 'a-'])
def test_valid_federation_names(name):
    hostvars = dict((host, {'federation_name': name}) for host in ('server', 'n1', 'n2'))
    assert errors_of(dict(federation_name=name), **hostvars) == []


def test_one_federation_per_inventory():
    assert errors_of(n2={'federation_name': 'other'}) == [
        "n2: federation_name 'other' differs from 'fbm' on server (one inventory is one federation)"]
    # only the server sets one: every other host has the default
    assert errors_of(dict(federation_name='alpha'), server={'federation_name': 'alpha'}) == [
        "n1: federation_name 'fbm' differs from 'alpha' on server (one inventory is one federation)",
        "n2: federation_name 'fbm' differs from 'alpha' on server (one inventory is one federation)"]
    # an invalid value is reported once, not also as a difference
    errors = errors_of(n1={'federation_name': 'Other'})
    assert len(errors) == 1 and errors[0].startswith("n1: federation_name 'Other' must be"), errors


def test_hosts_outside_the_three_groups_are_of_the_federation_too():
    groups, hv = inventory(monitor={'federation_name': 'other'})
    groups['all'].append('monitor')
    assert vpn_validate(groups, hv, SETTINGS) == [
        "monitor: federation_name 'other' differs from 'fbm' on server (one inventory is one federation)"]


# ------------------------------------------------------------------ keys and names

NON_CANONICAL = RFC7748_PUBLIC[:-2] + 'p='


@pytest.mark.parametrize('key', ['A' * 43 + '=', NON_CANONICAL, RFC7748_PUBLIC + '\n', ' ' + RFC7748_PUBLIC])
def test_keys_that_only_look_right(key):
    errors = errors_of(dict(extra_peers=[{'name': 'laptop', 'public_key': key}]))
    assert errors == ['vpnserver_extra_peers[0]: public_key of laptop is not a WireGuard key (base64 of 32 bytes)']


def test_the_non_canonical_key_has_the_same_bytes():
    assert NON_CANONICAL != RFC7748_PUBLIC
    assert base64.b64decode(NON_CANONICAL, validate=True) == base64.b64decode(RFC7748_PUBLIC)
    assert base64.b64decode('A' * 43 + '=') == bytes(32)


def test_an_instance_name_ending_in_a_newline():
    errors = errors_of(n1={'node_instances': [{'name': 'a'}, {'name': 'b\n'}]})
    assert len(errors) == 1 and errors[0].startswith('n1: node_instances[1].name: peer name'), errors


def test_the_python_default_is_the_roles_default():
    # hostvars do not carry role defaults: the validation repeats this one, and must agree
    import os
    import yaml
    path = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'roles', 'federation', 'defaults', 'main.yml')
    with open(path) as handle:
        assert yaml.safe_load(handle)['federation_name'] == FEDERATION_DEFAULT


# ------------------------------------------- values that would end up inside files

def instance(**values):
    base = {'name': 'n1-a', 'datasets': [{'name': 'cohort', 'path': '/srv/cohort.csv', 'tags': ['cohort']}],
            'gui': {'enabled': True, 'admin_email': 'it@x.example', 'admin_password': 'long-password'}}
    for key, value in values.items():
        if key in ('dataset', 'gui'):
            (base['datasets'][0] if key == 'dataset' else base['gui']).update(value)
        else:
            base[key] = value
    return {'node_instances': [base]}


@pytest.mark.parametrize('change, message', [
    (dict(dataset={'name': 'cohort\n'}), "dataset name 'cohort\\n'"),
    (dict(dataset={'path': '/srv/cohort.csv\n/etc'}), 'must be an absolute path'),
    (dict(training_plans=[{'name': 'plan-a\n', 'file': '/etc/hostname'}]), "training plan name 'plan-a\\n'"),
    (dict(gui={'server_name': 'gui.x.example; return 200'}), 'gui.server_name'),
    (dict(gui={'server_name': 'gui.x.example\n'}), 'gui.server_name'),
    (dict(gui={'server_name': 'a.example  b.example'}), 'gui.server_name'),
    (dict(gui={'admin_email': 'it@x.example\n'}), 'gui.admin_email'),
    (dict(gui={'port': '8443\n'}), "'8443\\n' is not a port number"),
])
def test_nothing_from_an_instance_can_add_lines_to_a_file(change, message):
    errors = errors_of(n1=instance(**change))
    assert len(errors) == 1 and message in errors[0], errors


@pytest.mark.parametrize('names', ['gui.x.example', 'gui.x.example gui.y.example', '*.x.example', '.x.example'])
def test_good_server_names(names):
    assert errors_of(n1=instance(gui={'server_name': names})) == []


@pytest.mark.parametrize('var', ['port', 'endpoint_port'])
@pytest.mark.parametrize('value', ['51820\n', ' 51820', '5182O', True])
def test_server_ports_are_numbers_and_nothing_else(var, value):
    assert any(("vpnserver_%s: %r is not a port number" % (var, value)) in e for e in errors_of({var: value}))


# ------------------------------------ files on the controller: from the inventory directory

@pytest.fixture
def dirs(tmp_path, monkeypatch):
    """(inventory directory, current directory): plans/in-inventory.py and gui.crt/gui.key
    are in the first, plans/in-cwd.py in the second, where the run starts."""
    inventory, cwd = tmp_path / 'inventory', tmp_path / 'cwd'
    for directory, names in ((inventory, ['plans/in-inventory.py', 'tls/gui.crt', 'tls/gui.key']),
                             (cwd, ['plans/in-cwd.py', 'tls/cwd.crt', 'tls/cwd.key'])):
        for name in names:
            (directory / name).parent.mkdir(parents=True, exist_ok=True)
            (directory / name).write_text('# %s\n' % name)
    monkeypatch.chdir(cwd)
    return inventory, cwd


def with_plan(inventory, path):
    return dict(instance(training_plans=[{'name': 'lung-model', 'file': path}]), inventory_dir=str(inventory))


def test_a_relative_plan_is_found_in_the_inventory_directory(dirs):
    inventory, _cwd = dirs
    assert errors_of(n1=with_plan(inventory, 'plans/in-inventory.py')) == []
    assert errors_of(n1=with_plan(inventory, str(inventory / 'plans' / 'in-inventory.py'))) == []


def test_a_relative_plan_is_not_looked_for_in_the_current_directory(dirs):
    inventory, _cwd = dirs
    assert errors_of(n1=with_plan(inventory, 'plans/in-cwd.py')) == [
        'n1: node_instances[0] (n1-a).training_plans[0].file: %s does not exist on the controller '
        '(plans/in-cwd.py, relative to the inventory directory)' % (inventory / 'plans' / 'in-cwd.py')]


def test_each_host_resolves_against_its_own_inventory_directory(dirs):
    inventory, cwd = dirs
    n2 = with_plan(cwd, 'plans/in-inventory.py')
    n2['node_instances'][0].update(name='n2-a', gui=dict(n2['node_instances'][0]['gui'], port=8444))
    errors = errors_of(n1=with_plan(inventory, 'plans/in-inventory.py'), n2=n2)
    assert len(errors) == 1 and errors[0].startswith('n2: node_instances[0] (n2-a).training_plans[0].file: %s '
                                                     % (cwd / 'plans' / 'in-inventory.py')), errors


def test_gui_certificates_follow_the_same_rule(dirs):
    inventory, _cwd = dirs
    good = instance(gui={'certificate': 'tls/gui.crt', 'private_key': 'tls/gui.key'})
    assert errors_of(n1=dict(good, inventory_dir=str(inventory))) == []
    bad = instance(gui={'certificate': 'tls/cwd.crt', 'private_key': 'tls/cwd.key'})
    assert errors_of(n1=dict(bad, inventory_dir=str(inventory))) == [
        'n1: node_instances[0] (n1-a).gui.%s: %s does not exist on the controller (tls/cwd.%s, relative to the '
        'inventory directory)' % (key, inventory / 'tls' / ('cwd.' + ext), ext)
        for key, ext in (('certificate', 'crt'), ('private_key', 'key'))]


def test_the_archive_directory_of_a_loading_host(dirs):
    inventory, _cwd = dirs
    load = {'container_host_image_source': 'load', 'inventory_dir': str(inventory)}
    assert errors_of(server=dict(load, container_host_archive_dir='plans')) == []
    assert errors_of(server=dict(load, container_host_archive_dir='tls/gui.crt')) == [
        'server: container_host_archive_dir: %s does not exist on the controller as a directory (tls/gui.crt, '
        'relative to the inventory directory)' % (inventory / 'tls' / 'gui.crt')]


def test_gui_problems_is_the_validation_rule_the_gui_role_applies():
    from ansible_collections.federated.vpn.plugins.filter.vpn_inventory import FilterModule
    gui_problems = FilterModule().filters()['gui_problems']
    good = {'enabled': True, 'admin_email': 'it@a.org', 'admin_password': 'long-enough-1'}
    assert gui_problems(good, 'h1: node_instances[a]') == []
    problems = gui_problems(dict(good, admin_email='admin@fedbiomed.gui', admin_password='Password',
                                 certificate='c.crt'), 'h1: node_instances[a]')
    assert [p.split(':')[1].strip() for p in problems] == ['node_instances[a].gui.admin_email',
                                                           'node_instances[a].gui.admin_password',
                                                           'node_instances[a].gui']
    assert not [p for p in problems if 'Password' in p]
