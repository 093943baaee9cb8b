# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Network checks of the inventory, run by vpn_validate before anything changes: the
server's endpoint, the VPN network (private, clear of every host's Docker networks), the
forward rules of the server and the MTU of every tunnel. Each check appends messages
naming the host and the variable to errors.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.federated.vpn.plugins.module_utils import wireguard as wg
from ansible_collections.federated.vpn.plugins.plugin_utils.federation_checks import machine_of

PRIVATE_NETWORKS = tuple(ipaddress.IPv4Network(n) for n in
                         ('10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'))
PRIVATE_TEXT = ', '.join(str(n) for n in PRIVATE_NETWORKS[:-1]) + ' or %s' % PRIVATE_NETWORKS[-1]
MTU_MIN, MTU_MAX = 1280, 65535
# playbooks/validate.yml registers docker_host_info (networks, verbose) per host under this name
DOCKER_NETWORKS_VAR = 'validate_docker_networks'
FORWARD_VAR = 'vpnserver_forward_allow_extra'
FORWARD_FORMAT = 'write SRC>DST or SRC>DST:PROTO/PORT'
FORWARD_PROTOS = ('tcp', 'udp')
_DIGITS_RE = re.compile(r'[1-9][0-9]*')  # matched in full


def shown(value):
    """A value as a message shows it: quoted when it holds whitespace or is not a string."""
    if isinstance(value, str) and value and not any(char.isspace() for char in value):
        return value
    return repr(value)


def check_endpoint(where, endpoint, errors):
    if endpoint is None or endpoint == '':
        errors.append('%s: vpnserver_endpoint: empty; set the address clients reach the server at' % where)
        return
    problem = wg.endpoint_host_problem(endpoint if isinstance(endpoint, str) else str(endpoint))
    if problem:
        errors.append('%s: vpnserver_endpoint: %s %s; use the host name or IPv4 address clients reach the '
                      'server at' % (where, shown(endpoint), problem))


def mtu_problem(value):
    """Why value is not a usable WireGuard MTU, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return 'is not a whole number'
    if isinstance(value, str) and not _DIGITS_RE.fullmatch(value):
        return 'is not a whole number (digits only, nothing around them)'
    if not MTU_MIN <= int(value) <= MTU_MAX:
        return 'is not within %d-%d' % (MTU_MIN, MTU_MAX)
    return None


def check_mtus(server, settings, client_hosts, hostvars, errors):
    """vpnserver_mtu of the server, vpnclient_mtu of every client host (absent: the role's default)."""
    if settings.get('mtu') is not None:
        problem = mtu_problem(settings['mtu'])
        if problem:
            errors.append('%s: vpnserver_mtu: %s %s' % (server, shown(settings['mtu']), problem))
    for host in client_hosts:
        if 'vpnclient_mtu' in hostvars[host]:
            value = hostvars[host]['vpnclient_mtu']
            problem = mtu_problem(value)
            if problem:
                errors.append('%s: vpnclient_mtu: %s %s' % (host, shown(value), problem))


def check_private(server, network, errors):
    if network is not None and not any(network.subnet_of(private) for private in PRIVATE_NETWORKS):
        errors.append('%s: vpnserver_network %s is not a private network: use one inside %s'
                      % (server, network, PRIVATE_TEXT))


def docker_subnets(result):
    """(network name, IPv4Network) of every IPv4 subnet in a docker_host_info result
    (networks, verbose); nothing when the host had no engine or SDK to ask."""
    if not isinstance(result, dict) or not isinstance(result.get('networks'), list):
        return []
    subnets = []
    for net in result['networks']:
        ipam = net.get('IPAM') if isinstance(net, dict) else None
        for config in (ipam or {}).get('Config') or []:
            try:
                subnet = ipaddress.ip_network(str((config or {}).get('Subnet')), strict=False)
            except ValueError:
                continue
            if subnet.version == 4:
                subnets.append((net.get('Name'), subnet))
    return subnets


def check_docker_overlap(server, network, hosts, hostvars, errors):
    """The VPN network must not overlap a Docker network of any host whose networks were
    read in this run (hosts outside --limit are not checked), once per machine: hosts of
    one machine share its engine."""
    if network is None:
        return
    machines = set()
    for host in hosts:
        result = hostvars[host].get(DOCKER_NETWORKS_VAR)
        machine = machine_of(host, hostvars[host])
        if machine in machines or not docker_subnets(result):
            continue
        machines.add(machine)
        for name, subnet in docker_subnets(result):
            if subnet.overlaps(network):
                errors.append('%s: vpnserver_network %s overlaps the Docker network %s (%s) on %s'
                              % (server, network, name, subnet, host))


def _forward_problem(rule, network):
    if not isinstance(rule, str):
        return 'must be a string: %s' % FORWARD_FORMAT
    if any(char.isspace() for char in rule):
        return '%r contains whitespace: %s' % (rule, FORWARD_FORMAT)
    if '>' not in rule:
        return "%r has no '>': %s" % (rule, FORWARD_FORMAT)
    src, rest = rule.split('>', 1)
    dst, sep, proto_port = rest.partition(':')
    if '>' in rest or not src or not dst:
        return '%r needs one source and one destination: %s' % (rule, FORWARD_FORMAT)
    for side, value in (('source', src), ('destination', dst)):
        if '/' not in value:
            # the server's entry point takes CIDRs only
            return '%r: the %s %s needs a prefix length (%s/32 for one address)' % (rule, side, value, value)
        try:
            net = wg.network(value, 'the %s' % side)
        except wg.WireGuardError as exc:
            return '%r: %s' % (rule, exc)
        if network is not None and not net.subnet_of(network):
            return '%r: the %s %s is outside vpnserver_network %s' % (rule, side, net, network)
    if sep:
        proto, _slash, port = proto_port.partition('/')
        if proto not in FORWARD_PROTOS or not _DIGITS_RE.fullmatch(port) or int(port) > 65535:
            return "%r: after ':' give PROTO/PORT, PROTO tcp or udp and PORT 1-65535" % (rule,)
    return None


def check_forward_rules(server, rules, network, errors):
    """Rules the server's vpn-entrypoint turns into iptables ACCEPT rules; a malformed one
    would silently accept other traffic."""
    if rules is None:
        return
    if not isinstance(rules, list):
        errors.append('%s: %s: must be a list of rules: %s' % (server, FORWARD_VAR, FORWARD_FORMAT))
        return
    for index, rule in enumerate(rules):
        problem = _forward_problem(rule, network)
        if problem:
            errors.append('%s: %s[%d]: %s' % (server, FORWARD_VAR, index, problem))
