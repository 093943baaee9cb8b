"""Malformed inventories against the real playbooks: each run must stop before any change,
with a message naming the variable (and host), on every host.

The inventory is written to a directory of its own while ansible-playbook runs in the
checkout: a relative path to a file on the controller (a plan, a certificate) must be found
in the inventory directory, not in the current one.

Hosts use the local connection and keep their state under a temporary directory, so
"no change" is checked twice: every host's recap says changed=0, and no state directory
was created. The cases run concurrently (each is a separate ansible-playbook).
"""
import base64
import os
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from local_playbooks import ROOT, local_inventory, run_playbook

KEY = 'hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo='


def base_inventory(tmp):
    plan = os.path.join(tmp, 'plan.py')
    with open(plan, 'w') as handle:
        handle.write('# a training plan\n')
    return local_inventory(tmp, {
        'h1': {'node_instances': [
            {'name': 'h1-a', 'datasets': [{'name': 'cohort', 'path': '/srv/cohort.csv', 'tags': ['cohort']}],
             'training_plans': [{'name': 'plan-a', 'file': plan}],
             'gui': {'enabled': True, 'admin_email': 'it@h1.example', 'admin_password': 'long-password-1'}},
            {'name': 'h1-b', 'security': {'minimum_samples': 5}}]},
        'h2': {},
    })


def nodes(inv):
    return inv['all']['children']['nodes']['hosts']


def h1(inv, index=0):
    return nodes(inv)['h1']['node_instances'][index]


def setvars(**values):
    return lambda inv: inv['all']['vars'].update(values)


def gui(index=0, **values):
    return lambda inv: h1(inv, index).setdefault('gui', {}).update(values)


def second_gui(**values):
    def change(inv):
        h1(inv, 1)['gui'] = dict(enabled=True, admin_email='b@h1.example', admin_password='long-password-2', **values)
    return change


def server_vars(**values):
    return lambda inv: inv['all']['children']['vpnserver']['hosts']['server'].update(values)


def host_vars(host, **values):
    return lambda inv: nodes(inv)[host].update(values)


def address_plan(network, address, management, node, researcher, **values):
    return setvars(vpnserver_network=network, vpnserver_address=address,
                   vpnserver_pools={'management': management, 'node': node, 'researcher': researcher}, **values)


def h2_gui(**values):
    """h2 on another connection, with one instance publishing a GUI (port: values' port)."""
    port = values.pop('port', None)
    gui_settings = dict(enabled=True, admin_email='it@h2.example', admin_password='long-password-3')
    if port:
        gui_settings['port'] = port
    return host_vars('h2', node_instances=[{'name': 'h2', 'gui': gui_settings}], **values)


def both(*changes):
    return lambda inv: [change(inv) for change in changes]


# a plan that exists relative to the checkout (the current directory of every run)
CWD_PLAN = 'molecule/federation/files/declared_plan.py'
# ssh that fails at once, without resolving the name (validation never needs the host)
NO_SSH = '-o ProxyCommand=false'
FORWARD = 'server: vpnserver_forward_allow_extra[0]: '
FEDERATION_RULE = "must be 1-32 characters of lowercase letters, digits or '-', starting with a letter or digit"
# KEY spelled differently: the unused low bits of its last base64 character set (same 32 bytes)
NON_CANONICAL_KEY = KEY[:-2] + 'p='


# (id, change to the base inventory, text the failure must contain, playbook, extra args).
# Messages are printed as JSON: a newline a message quotes as '\n' shows as '\\n' (raw strings).
CASES = [
    ('duplicate-instance-across-hosts', lambda i: nodes(i)['h2'].update(node_instances=[{'name': 'h1-b'}]),
     'h2: node_instances[0].name: peer name h1-b is also used by h1: node_instances[1].name'),
    ('duplicate-instance-on-host', lambda i: nodes(i)['h1']['node_instances'].append({'name': 'h1-a'}),
     'h1: node_instances[2].name: peer name h1-a is also used'),
    ('invalid-instance-name', lambda i: h1(i, 1).update(name='h1 b'), 'h1: node_instances[1].name: peer name'),
    ('instances-not-a-list', lambda i: nodes(i)['h2'].update(node_instances='h2'), 'h2: node_instances must be a list'),
    ('network-not-cidr', setvars(vpnserver_network='10.220.0.0/33'), 'vpnserver_network'),
    ('network-host-bits', setvars(vpnserver_network='10.220.0.1/14'), 'vpnserver_network: \'10.220.0.1/14\''),
    ('server-address-outside', setvars(vpnserver_address='10.9.9.9'),
     'vpnserver_address: 10.9.9.9 is not a usable address'),
    ('pool-outside-network', setvars(vpnserver_pools={'management': '10.220.0.0/16', 'node': '10.9.0.0/16',
                                                      'researcher': '10.222.0.0/16'}),
     'vpnserver_pools.node: 10.9.0.0/16 is outside vpnserver_network'),
    ('pools-overlap', setvars(vpnserver_pools={'management': '10.220.0.0/16', 'node': '10.222.0.0/17',
                                               'researcher': '10.222.0.0/16'}), 'overlaps vpnserver_pools'),
    ('pool-too-small', setvars(vpnserver_pools={'management': '10.220.0.0/16', 'node': '10.221.0.0/30',
                                                'researcher': '10.222.0.0/16'}),
     'vpnserver_pools.node: 10.221.0.0/30 has room for 1 peers, the inventory declares 3'),
    ('address-outside-pool', lambda i: h1(i).update(vpn_address='10.222.0.9'),
     'h1: node_instances[0].name (address of h1-a): 10.222.0.9 is outside the usable range'),
    ('address-twice', lambda i: [h1(i, n).update(vpn_address='10.221.0.7') for n in (0, 1)],
     '10.221.0.7 is also the address of h1-a'),
    ('address-not-ip', lambda i: nodes(i)['h2'].update(node_instances=[{'name': 'h2', 'vpn_address': 'ten'}]),
     "'ten' is not an IPv4 address"),
    ('endpoint-empty', setvars(vpnserver_endpoint=''), 'vpnserver_endpoint: empty'),
    ('endpoint-loopback', setvars(vpnserver_endpoint='127.0.0.1'), 'vpnserver_endpoint: 127.0.0.1 is a loopback'),
    ('server-port', setvars(vpnserver_port=70000), 'vpnserver_port: 70000 is not a port number'),
    ('extra-peer-key', setvars(vpnserver_extra_peers=[{'name': 'laptop', 'public_key': 'not-a-key'}]),
     'vpnserver_extra_peers[0]: public_key of laptop is not a WireGuard key'),
    ('extra-peer-key-twice', setvars(vpnserver_extra_peers=[{'name': 'l1', 'public_key': KEY},
                                                            {'name': 'l2', 'public_key': KEY}]),
     'public_key of l2 is also the key of l1'),
    ('gui-ports-clash', second_gui(port=8443), 'gui.port: tcp/8443 on machine localhost is already taken by'),
    ('gui-port-vs-jupyter', gui(port=8888), 'gui.port: tcp/8888 on machine localhost is already taken by server: '
                                            'researcher_jupyter_port'),
    ('jupyter-vs-tensorboard', setvars(researcher_tensorboard_port=8888),
     'server: researcher_tensorboard_port: tcp/8888 on machine localhost is already taken'),
    ('gui-default-password', gui(admin_password='admin'), 'gui.admin_password: needs 10 characters'),
    ('gui-default-admin', gui(admin_email='admin@fedbiomed.gui'), "gui.admin_email: 'admin@fedbiomed.gui'"),
    ('gui-certificate-alone', gui(certificate='/etc/hostname'), 'certificate and private_key go together'),
    ('gui-unknown-key', gui(passwd='x'), 'gui.passwd: unknown setting'),
    ('dataset-relative-path', lambda i: h1(i)['datasets'][0].update(path='srv/cohort.csv'),
     'h1: node_instances[0] (h1-a).datasets[0]: dataset cohort: path'),
    ('dataset-twice', lambda i: h1(i)['datasets'].append(dict(h1(i)['datasets'][0])),
     'datasets[1]: name cohort is declared twice'),
    ('dataset-tags-contain-another', lambda i: h1(i)['datasets'].append(
        {'name': 'cohort-2', 'path': '/srv/cohort-2.csv', 'tags': ['cohort', 'version2']}),
     "h1: node_instances[0] (h1-a).datasets[1].tags: ['cohort', 'version2'] conflict with datasets[0] (cohort)"),
    ('dataset-tags-equal', lambda i: h1(i)['datasets'].append(
        {'name': 'cohort-2', 'path': '/srv/cohort-2.csv', 'tags': 'cohort'}),
     "datasets[1].tags: ['cohort'] conflict with datasets[0] (cohort) tags ['cohort']"),
    ('plan-file-missing', lambda i: h1(i)['training_plans'][0].update(file='/nonexistent/plan.py'),
     'training_plans[0].file: /nonexistent/plan.py does not exist on the controller'),
    # files on the controller, relative: from the inventory directory ({tmp}), not the current
    # directory (the checkout, where these exist)
    ('plan-file-relative-to-cwd', lambda i: h1(i)['training_plans'][0].update(file=CWD_PLAN),
     'h1: node_instances[0] (h1-a).training_plans[0].file: {tmp}/%s does not exist on the controller '
     '(%s, relative to the inventory directory)' % (CWD_PLAN, CWD_PLAN)),
    ('gui-certificate-relative-to-cwd', gui(certificate='ansible.cfg', private_key='galaxy.yml'),
     'h1: node_instances[0] (h1-a).gui.certificate: {tmp}/ansible.cfg does not exist on the controller '
     '(ansible.cfg, relative to the inventory directory)'),
    ('archive-dir-relative-to-cwd', setvars(container_host_image_source='load', container_host_archive_dir='images'),
     'h2: container_host_archive_dir: {tmp}/images does not exist on the controller as a directory '
     '(images, relative to the inventory directory)'),
    ('security-unknown', lambda i: h1(i, 1)['security'].update(secure_agregation=True),
     'h1: node_instances[1] (h1-b).security.secure_agregation: unknown setting'),
    ('security-minimum-samples', lambda i: h1(i, 1)['security'].update(minimum_samples='many'),
     "security.minimum_samples: 'many' is not a whole number"),
    ('instance-unknown-key', lambda i: h1(i, 1).update(dataset=[]), 'h1: node_instances[1] (h1-b).dataset: unknown key'),
    ('two-servers', lambda i: i['all']['children']['vpnserver']['hosts'].update(h2={}),
     'group vpnserver: needs exactly one host, has 2'),
    ('limit-without-server', None, '--limit must include it', 'site.yml', ['--limit', 'h1']),
    # the server's endpoint: what clients dial, as a host name or IPv4 address alone
    ('endpoint-with-port', setvars(vpnserver_endpoint='vpn.example.org:51820'),
     'server: vpnserver_endpoint: vpn.example.org:51820 holds a port or is an IPv6 address'),
    ('endpoint-unspecified', setvars(vpnserver_endpoint='0.0.0.0'),
     'server: vpnserver_endpoint: 0.0.0.0 is not an address clients can dial'),
    ('endpoint-loopback-name', setvars(vpnserver_endpoint='Localhost.'),
     'server: vpnserver_endpoint: Localhost. is a loopback name'),
    ('endpoint-ipv6', setvars(vpnserver_endpoint='2001:db8::10'),
     'server: vpnserver_endpoint: 2001:db8::10 holds a port or is an IPv6 address'),
    ('endpoint-trailing-newline', setvars(vpnserver_endpoint='vpn.example.org\n'),
     r"server: vpnserver_endpoint: 'vpn.example.org\\n' contains whitespace"),
    ('endpoint-does-not-resolve', setvars(vpnserver_endpoint='vpn-server.invalid'),
     'vpnserver_endpoint vpn-server.invalid does not resolve on server (getent ahostsv4)'),
    ('endpoint-not-a-host-name', setvars(vpnserver_endpoint='vpn_server.example.org'),
     'server: vpnserver_endpoint: vpn_server.example.org is not a host name or an IPv4 address'),
    # MTUs of the server and of every client host
    ('server-mtu-too-large', server_vars(vpnserver_mtu=70000), 'server: vpnserver_mtu: 70000 is not within 1280-65535'),
    ('server-mtu-trailing-newline', server_vars(vpnserver_mtu='1420\n'),
     r"server: vpnserver_mtu: '1420\\n' is not a whole number"),
    ('client-mtu-not-a-number', host_vars('h2', vpnclient_mtu='abc'), 'h2: vpnclient_mtu: abc is not a whole number'),
    ('client-mtu-too-small', host_vars('h1', vpnclient_mtu=1000), 'h1: vpnclient_mtu: 1000 is not within 1280-65535'),
    ('researcher-mtu-trailing-newline', server_vars(vpnclient_mtu='1420\n'),
     r"server: vpnclient_mtu: '1420\\n' is not a whole number"),
    # this machine's engine has the default bridge 172.17.0.0/16
    ('network-overlaps-docker-bridge',
     address_plan('172.16.0.0/12', '172.20.0.1', '172.20.0.0/16', '172.21.0.0/16', '172.22.0.0/16'),
     'server: vpnserver_network 172.16.0.0/12 overlaps the Docker network bridge (172.17.0.0/16) on server'),
    ('network-not-private',
     address_plan('11.220.0.0/14', '11.220.0.1', '11.220.0.0/16', '11.221.0.0/16', '11.222.0.0/16'),
     'server: vpnserver_network 11.220.0.0/14 is not a private network: use one inside 10.0.0.0/8, '
     '172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10'),
    # exactly one researcher
    ('researcher-group-empty', lambda i: i['all']['children']['researcher'].update(hosts={}),
     'group researcher: needs exactly one host, has 0'),
    ('two-researchers', lambda i: i['all']['children']['researcher']['hosts'].update(h2={}),
     'group researcher: needs exactly one host, has 2 (server, h2)'),
    # the server's own address takes a place in the management pool; extra peers count too
    ('pool-full-with-server-address',
     address_plan('10.220.0.0/14', '10.220.0.2', '10.220.0.0/29', '10.221.0.0/16', '10.222.0.0/16',
                  vpnserver_extra_peers=[{'name': 'laptop%d' % n} for n in range(5)]),
     'server: vpnserver_pools.management: 10.220.0.0/29 has room for 4 peers, the inventory declares 5 '
     '(vpnserver_address 10.220.0.2 takes one of its addresses)'),
    # one machine under two inventory names
    ('same-machine-local-and-127.0.0.1', h2_gui(ansible_connection='ssh', ansible_host='127.0.0.1', port=8888),
     'h2: node_instances[0] (h2).gui.port: tcp/8888 on machine localhost is already taken by server: '
     'researcher_jupyter_port'),
    ('same-machine-localhost-port-22',
     h2_gui(ansible_connection='ssh', ansible_host='LOCALHOST', ansible_port=22, port=6006),
     'h2: node_instances[0] (h2).gui.port: tcp/6006 on machine localhost is already taken by server: '
     'researcher_tensorboard_port'),
    ('same-ansible-host-in-other-case',
     both(host_vars('h1', ansible_connection='ssh', ansible_host='Hospital.Example', ansible_ssh_common_args=NO_SSH),
          h2_gui(ansible_connection='ssh', ansible_host='hospital.example', ansible_ssh_common_args=NO_SSH)),
     'h2: node_instances[0] (h2) (gui_base_port + 0): tcp/8443 on machine hospital.example is already taken by '
     'h1: node_instances[0] (h1-a) (gui_base_port + 0)'),
    # container_engine: a known engine, and a Podman host takes its images by load or pull
    ('container-engine-unknown', host_vars('h1', container_engine='rkt'),
     "h1: container_engine 'rkt' is not one of docker, podman"),
    ('podman-host-building-its-images', host_vars('h1', container_engine='podman'),
     "h1: container_host_image_source 'local': a host with container_engine podman takes its images by load or pull"),
    # researcher_vpn_link: local only beside the VPN server, and then its address is taken
    ('researcher-link-unknown', server_vars(researcher_vpn_link='bridge'),
     "server: researcher_vpn_link 'bridge' is not one of auto, tunnel, local"),
    ('researcher-link-local-elsewhere',
     both(lambda i: i['all']['children']['researcher'].update(hosts={'lab': {}}),
          lambda i: i['all']['children'].update(labs={'hosts': {'lab': {
              'ansible_connection': 'ssh', 'ansible_host': 'lab.example', 'ansible_ssh_common_args': NO_SSH,
              'researcher_vpn_link': 'local'}}})),
     "lab: researcher_vpn_link is local, but only a researcher on the VPN server's machine (server) can be "
     "linked locally"),
    ('researcher-link-local-on-podman-server',
     server_vars(researcher_vpn_link='local', container_engine='podman', container_host_image_source='pull'),
     "server: researcher_vpn_link is local, but the VPN server (server) runs on rootless Podman"),
    ('researcher-pool-address-taken-by-local-link',
     setvars(vpnserver_extra_peers=[{'name': 'laptop', 'type': 'researcher', 'public_key': KEY}]),
     "vpnserver_extra_peers[0]: peer laptop needs a fixed address: the researcher pool's first address "
     "10.222.0.2 is taken by server, linked locally"),
    # forward rules of the server, turned into iptables ACCEPT rules
    ('forward-rule-without-arrow', setvars(vpnserver_forward_allow_extra=['10.221.0.0/16']),
     FORWARD + "'10.221.0.0/16' has no '>': write SRC>DST or SRC>DST:PROTO/PORT"),
    ('forward-rule-host-bits', setvars(vpnserver_forward_allow_extra=['10.221.0.1/16>10.222.0.0/16']),
     FORWARD + "'10.221.0.1/16>10.222.0.0/16': the source: '10.221.0.1/16' is not an IPv4 network"),
    ('forward-rule-outside-network', setvars(vpnserver_forward_allow_extra=['10.221.0.0/16>192.168.1.0/24']),
     FORWARD + "'10.221.0.0/16>192.168.1.0/24': the destination 192.168.1.0/24 is outside vpnserver_network"),
    ('forward-rule-protocol', setvars(vpnserver_forward_allow_extra=['10.221.0.0/16>10.222.0.0/16:icmp/8']),
     FORWARD + "'10.221.0.0/16>10.222.0.0/16:icmp/8': after ':' give PROTO/PORT"),
    ('forward-rule-no-source', setvars(vpnserver_forward_allow_extra=['>10.222.0.0/16:tcp/8080']),
     FORWARD + "'>10.222.0.0/16:tcp/8080' needs one source and one destination"),
    ('forward-rules-not-a-list', setvars(vpnserver_forward_allow_extra='10.221.0.0/16>10.222.0.0/16'),
     'server: vpnserver_forward_allow_extra: must be a list of rules'),
    # federation_name: valid, and one federation per inventory
    ('federation-name-uppercase', setvars(federation_name='Fbm'), "server: federation_name 'Fbm' " + FEDERATION_RULE),
    ('federation-name-trailing-newline', setvars(federation_name='fbm\n'),
     r"h1: federation_name 'fbm\\n' " + FEDERATION_RULE),
    ('federation-name-too-long', setvars(federation_name='f' * 33), "h2: federation_name '%s' must be" % ('f' * 33)),
    ('federation-name-differs', host_vars('h2', federation_name='other'),
     "h2: federation_name 'other' differs from 'fbm' on server"),
    ('federation-name-only-on-server', server_vars(federation_name='alpha'),
     "h1: federation_name 'fbm' differs from 'alpha' on server"),
    # the Fed-BioMed release (a downgrade is refused in the day2 scenario, on running containers)
    ('fedbiomed-version-not-a-release', setvars(federation_fedbiomed_version='latest'),
     "federation_fedbiomed_version 'latest' is not a release number (e.g. 6.4.1). Nothing was changed."),
    # keys and names that only look right
    ('instance-name-trailing-newline', lambda i: h1(i, 1).update(name='h1-b\n'), 'h1: node_instances[1].name: peer name'),
    ('extra-peer-zero-key', setvars(vpnserver_extra_peers=[{'name': 'laptop', 'public_key': 'A' * 43 + '='}]),
     'vpnserver_extra_peers[0]: public_key of laptop is not a WireGuard key'),
    ('extra-peer-non-canonical-key', setvars(vpnserver_extra_peers=[{'name': 'laptop', 'public_key': NON_CANONICAL_KEY}]),
     'vpnserver_extra_peers[0]: public_key of laptop is not a WireGuard key'),
    ('extra-peer-key-trailing-newline', setvars(vpnserver_extra_peers=[{'name': 'laptop', 'public_key': KEY + '\n'}]),
     'vpnserver_extra_peers[0]: public_key of laptop is not a WireGuard key'),
    # values that would end up inside files the roles write
    ('dataset-name-trailing-newline', lambda i: h1(i)['datasets'][0].update(name='cohort\n'),
     r"h1: node_instances[0] (h1-a).datasets[0]: dataset name 'cohort\\n'"),
    ('gui-server-name-injection', gui(server_name='gui.h1.example; return 200'),
     "gui.server_name: 'gui.h1.example; return 200' must be host names"),
    ('endpoint-port-trailing-newline', setvars(vpnserver_endpoint_port='51820\n'),
     r"vpnserver_endpoint_port: '51820\\n' is not a port number"),
]


# Valid inventories: (id, change to the base inventory)
VALID = [
    ('valid', None),
    # beside the inventory file, not in the current directory
    ('valid-relative-plan', lambda i: h1(i)['training_plans'][0].update(file='plan.py')),
]


def run_case(tmp_root, case):
    """(process, whether a state directory was made, the inventory directory)"""
    name, change, _message = case[:3]
    playbook = case[3] if len(case) > 3 else 'site.yml'
    args = case[4] if len(case) > 4 else []
    tmp = os.path.join(tmp_root, name)
    os.makedirs(tmp)
    inv = base_inventory(tmp)
    if change:
        change(inv)
    proc = run_playbook(inv, os.path.join(tmp, 'hosts.json'), playbook, args)
    return proc, os.path.exists(os.path.join(tmp, 'state')), tmp


@pytest.fixture(scope='module')
def results(tmp_path_factory):
    tmp_root = str(tmp_path_factory.mktemp('inventories'))
    runs = CASES + [(name, change, '', 'validate.yml') for name, change in VALID]
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda case: run_case(tmp_root, case), runs))
    return dict(zip([c[0] for c in runs], outcomes))


def test_at_least_fifty_five_malformed_inventories():
    assert len(CASES) >= 55
    assert len(set(c[0] for c in CASES)) == len(CASES)


def test_the_non_canonical_key_is_the_same_key_spelled_otherwise():
    assert NON_CANONICAL_KEY != KEY
    assert base64.b64decode(NON_CANONICAL_KEY, validate=True) == base64.b64decode(KEY)


def test_no_relative_plan_beside_the_checkout():
    # valid-relative-plan must not pass by finding the checkout's file
    assert not os.path.exists(os.path.join(ROOT, 'plan.py'))
    assert os.path.isfile(os.path.join(ROOT, CWD_PLAN))


@pytest.mark.parametrize('name', [v[0] for v in VALID])
def test_the_valid_inventory_passes_validation(results, name):
    proc, state_created, _tmp = results[name]
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert 'TASK [federated.vpn.vpnserver : Record that the inventory is valid]' in proc.stdout, proc.stdout[-3000:]
    assert not state_created


@pytest.mark.parametrize('case', CASES, ids=[c[0] for c in CASES])
def test_malformed_inventory_fails_before_any_change(results, case):
    proc, state_created, tmp = results[case[0]]
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out[-3000:]
    assert case[2].replace('{tmp}', tmp) in out, out[-3000:]
    recap = re.findall(r'^(\S+)\s+: ok=\d+\s+changed=(\d+)', proc.stdout, re.MULTILINE)
    assert recap and all(changed == '0' for _host, changed in recap), recap
    assert not state_created
    # nothing past the validation plays ran
    assert 'TASK [federated.vpn.container_host' not in proc.stdout
    assert 'PLAY [VPN server]' not in proc.stdout
