# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that read the whole inventory: vpn_peers and vpn_validate; gui_problems, the
validation's rules for one GUI, which the gui role applies again.

Documented in vpn_peers.yml, vpn_validate.yml and gui_problems.yml beside this file. Peers are always
derived from groups (the full inventory), never from the hosts of the current play, so
that `--limit` cannot make the server forget a peer.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible.errors import AnsibleFilterError

from ansible_collections.federated.vpn.plugins.module_utils import wireguard as wg
from ansible_collections.federated.vpn.plugins.plugin_utils import container_engine, network_checks
from ansible_collections.federated.vpn.plugins.plugin_utils.federation_checks import (
    check_federation, gui_problems, machine_of, port_number)
from ansible_collections.federated.vpn.plugins.plugin_utils.federation_name import check_federation_name
from ansible_collections.federated.vpn.plugins.plugin_utils.inventory_paths import check_archive_dir

CLIENT_GROUPS = (('researcher', 'researcher'), ('nodes', 'node'))
SINGLE_HOST_GROUPS = ('vpnserver', 'researcher')
# how a peer reaches the VPN: its own WireGuard tunnel, or (the researcher on the VPN
# server's machine) a local link on a network it shares with the server container alone
LINKS = ('auto', 'tunnel', 'local')


def _same_machine(host, hv, other, other_hv):
    return other is not None and (host == other or machine_of(host, hv) == machine_of(other, other_hv))


def _linkable(server_hv):
    # the local link is a network the server shares with the researcher; a rootless Podman
    # server is on slirp4netns, whose own port handler (the peers' real addresses) excludes one
    return (server_hv or {}).get('container_engine', 'docker') != 'podman'


def researcher_link(host, hv, server_host, server_hv):
    """researcher_vpn_link as it applies: auto is local on the VPN server's machine, unless
    the server runs on rootless Podman."""
    link = hv.get('researcher_vpn_link') or 'auto'
    if link == 'auto':
        return 'local' if _same_machine(host, hv, server_host, server_hv) and _linkable(server_hv) else 'tunnel'
    return link


def _host_peers(host, hv, group, peer_type, server):
    keys = hv.get('vpnclient_public_keys') or {}
    if group == 'researcher':
        name = hv.get('researcher_vpn_name') or host
        return [dict(name=name, type=peer_type, host=host, address=hv.get('researcher_vpn_address'),
                     public_key=keys.get(name), link=researcher_link(host, hv, *server),
                     source='%s: researcher_vpn_name' % host)]
    instances = hv.get('node_instances') or [{'name': host}]
    if not isinstance(instances, (list, tuple)):
        raise AnsibleFilterError('%s: node_instances must be a list of {name: ...} entries' % host)
    peers = []
    for index, inst in enumerate(instances):
        if not isinstance(inst, dict) or not inst.get('name'):
            raise AnsibleFilterError('%s: node_instances[%d] must be a mapping with a name' % (host, index))
        peers.append(dict(name=inst['name'], type=peer_type, host=host, address=inst.get('vpn_address'),
                          public_key=keys.get(inst['name']), instance=dict(inst), link='tunnel',
                          source='%s: node_instances[%d].name' % (host, index)))
    return peers


def vpn_peers(groups, hostvars, extra_peers=None):
    """Every client peer the inventory declares: researcher hosts, then node instances,
    then extra (unmanaged) peers; each with name, type, host, address, public_key, link."""
    peers = []
    server_host = (list(groups.get('vpnserver', [])) or [None])[0]
    server = (server_host, hostvars[server_host] if server_host in hostvars else {})
    for group, peer_type in CLIENT_GROUPS:
        for host in groups.get(group, []):
            peers.extend(_host_peers(host, hostvars[host], group, peer_type, server))
    for index, extra in enumerate(extra_peers or []):
        if not isinstance(extra, dict):
            raise AnsibleFilterError('vpnserver_extra_peers[%d] must be a mapping' % index)
        peers.append(dict(name=extra.get('name'), type=extra.get('type', 'management'), host=None,
                          address=extra.get('address'), public_key=extra.get('public_key'), link='tunnel',
                          source='vpnserver_extra_peers[%d]' % index))
    return peers


def local_address(peer, pools):
    """The VPN address of a local-link peer: its own, or the first of its pool (the one the
    registry would give it: it is the pool's only peer without an address)."""
    if peer.get('address'):
        return ipaddress.IPv4Address(str(peer['address']))
    return wg.first_host(ipaddress.IPv4Network(str(pools[peer['type']])))


def vpn_local_links(peers, pools, network):
    """The local-link peers ({name: address, interface_address, link, type}); wg_peer never sees them."""
    prefix = ipaddress.IPv4Network(str(network)).prefixlen
    out = {}
    for peer in peers:
        if peer.get('link') == 'local':
            address = str(local_address(peer, pools))
            out[peer['name']] = dict(address=address, interface_address='%s/%d' % (address, prefix), link='local',
                                     type=peer['type'])
    return out


def _check_links(peers, hostvars, server_host, pools, errors):
    """researcher_vpn_link: a known value, local only beside the server, and the address of a
    local link free (the registry, which does not know it, gives out the others)."""
    for peer in peers:
        if peer.get('link') not in LINKS[1:]:  # auto is resolved by vpn_peers
            errors.append('%s: researcher_vpn_link %r is not one of %s' % (peer['host'], peer.get('link'), ', '.join(LINKS)))
        elif peer['link'] == 'local' and not _same_machine(
                peer['host'], hostvars[peer['host']], server_host, hostvars.get(server_host) or {}):
            errors.append('%s: researcher_vpn_link is local, but only a researcher on the VPN server\'s machine (%s) '
                          'can be linked locally: use tunnel or auto' % (peer['host'], server_host))
        elif peer['link'] == 'local' and not _linkable(hostvars.get(server_host)):
            errors.append('%s: researcher_vpn_link is local, but the VPN server (%s) runs on rootless Podman '
                          '(container_engine), which cannot share a network with it: use tunnel or auto'
                          % (peer['host'], server_host))
        elif peer['link'] == 'local' and peer['type'] in pools:
            try:
                mine = local_address(peer, pools)
            except ValueError:
                continue  # _check_peers names the address
            for other in peers:
                if other is not peer and other['type'] == peer['type'] and not other.get('address'):
                    errors.append('%s: peer %s needs a fixed address: the %s pool\'s first address %s is taken by %s, '
                                  'linked locally (researcher_vpn_link)'
                                  % (other['source'], other['name'], peer['type'], mine, peer['name']))


def _net(value, var, errors):
    try:
        return ipaddress.IPv4Network(str(value), strict=True)
    except (ValueError, TypeError) as exc:
        errors.append('%s: %r is not an IPv4 network in CIDR form (%s)' % (var, value, exc))
        return None


def _port(value, var, errors):
    port = port_number(value)
    if port is None:
        errors.append('%s: %r is not a port number (1-65535)' % (var, value))
    return port


def _check_server(settings, errors):
    """Validate the server settings; return (network, server address, pools)."""
    network = _net(settings.get('network'), 'vpnserver_network', errors)
    server = None
    try:
        server = ipaddress.IPv4Address(str(settings.get('address')))
    except ValueError:
        errors.append('vpnserver_address: %r is not an IPv4 address' % (settings.get('address'),))
    if network and server and (server not in network or server in (network.network_address, network.broadcast_address)):
        errors.append('vpnserver_address: %s is not a usable address of vpnserver_network %s' % (server, network))
    pools = {}
    raw_pools = settings.get('pools') or {}
    for peer_type in wg.PEER_TYPES:
        var = 'vpnserver_pools.%s' % peer_type
        if peer_type not in raw_pools:
            errors.append('%s: missing' % var)
            continue
        pool = _net(raw_pools[peer_type], var, errors)
        if pool is None:
            continue
        if network and not pool.subnet_of(network):
            errors.append('%s: %s is outside vpnserver_network %s' % (var, pool, network))
        elif pool.num_addresses < 4:
            errors.append('%s: %s is too small (at least a /30)' % (var, pool))
        else:
            pools[peer_type] = pool
    types = sorted(pools)
    for i, first in enumerate(types):
        for second in types[i + 1:]:
            if pools[first].overlaps(pools[second]):
                errors.append('vpnserver_pools.%s %s overlaps vpnserver_pools.%s %s'
                              % (first, pools[first], second, pools[second]))
    _port(settings.get('port'), 'vpnserver_port', errors)
    _port(settings.get('endpoint_port'), 'vpnserver_endpoint_port', errors)
    return network, server, pools


def _check_capacity(label, counts, server, pools, errors):
    """Peers per pool against its usable range, less the server's address when it sits there."""
    for peer_type, count in sorted(counts.items()):
        pool = pools.get(peer_type)
        if not pool:
            continue
        room = pool.num_addresses - 3
        taken = ''
        if server is not None and wg.in_pool(pool, server):
            room -= 1
            taken = ' (vpnserver_address %s takes one of its addresses)' % server
        if count > room:
            errors.append('%s: vpnserver_pools.%s: %s has room for %d peers, the inventory declares %d%s'
                          % (label, peer_type, pool, room, count, taken))


def _check_peers(peers, server, pools, errors):
    names = {}
    addresses = {}
    keys = {}
    counts = {}
    for peer in peers:
        where = peer['source']
        try:
            wg.validate_peer_name(peer['name'])
        except wg.WireGuardError as exc:
            errors.append('%s: %s' % (where, exc))
        if peer['name'] in names:
            errors.append('%s: peer name %s is also used by %s' % (where, peer['name'], names[peer['name']]))
        names.setdefault(peer['name'], where)
        if peer['type'] not in wg.PEER_TYPES:
            errors.append('%s: type %r is not one of %s' % (where, peer['type'], ', '.join(wg.PEER_TYPES)))
            continue
        counts[peer['type']] = counts.get(peer['type'], 0) + 1
        if peer.get('public_key'):
            if not wg.is_valid_key(peer['public_key']):
                errors.append('%s: public_key of %s is not a WireGuard key (base64 of 32 bytes)' % (where, peer['name']))
            elif peer['public_key'] in keys:
                errors.append('%s: public_key of %s is also the key of %s' % (where, peer['name'], keys[peer['public_key']]))
            keys.setdefault(peer['public_key'], peer['name'])
        if not peer.get('address'):
            continue
        var = '%s (address of %s)' % (where, peer['name'])
        try:
            addr = ipaddress.IPv4Address(str(peer['address']))
        except ValueError:
            errors.append('%s: %r is not an IPv4 address' % (var, peer['address']))
            continue
        pool = pools.get(peer['type'])
        if addr == server:
            errors.append('%s: %s is the server address' % (var, addr))
        elif pool and not wg.in_pool(pool, addr):
            errors.append('%s: %s is outside the usable range %s-%s of vpnserver_pools.%s'
                          % (var, addr, wg.first_host(pool), pool.broadcast_address - 1, peer['type']))
        if addr in addresses:
            errors.append('%s: %s is also the address of %s' % (var, addr, addresses[addr]))
        addresses.setdefault(addr, peer['name'])
    return counts


def _hosts(groups, hostvars, names):
    """Hosts of the named groups, each once, in inventory order."""
    hosts = []
    for name in names:
        hosts.extend(h for h in groups.get(name, []) if h not in hosts and h in hostvars)
    return hosts


def vpn_validate(groups, hostvars, settings):
    """All problems of the inventory, each naming the variable and host at fault.

    settings: the server's values as its role sees them (network, address, pools, port,
    endpoint, endpoint_port, extra_peers, mtu, forward_allow_extra, federation_name).
    An empty list means the inventory is valid.
    """
    errors = []
    for group in SINGLE_HOST_GROUPS:
        members = list(groups.get(group, []))
        if len(members) != 1:
            errors.append('group %s: needs exactly one host, has %d%s'
                          % (group, len(members), ' (%s)' % ', '.join(members) if members else ''))
    servers = list(groups.get('vpnserver', []))
    server_host = servers[0] if servers else None
    label = server_host or 'vpnserver'
    server_errors = []
    network, server, pools = _check_server(settings, server_errors)
    errors.extend('%s: %s' % (label, error) for error in server_errors)
    network_checks.check_endpoint(label, settings.get('endpoint'), errors)
    network_checks.check_private(label, network, errors)
    network_checks.check_forward_rules(label, settings.get('forward_allow_extra'), network, errors)
    all_hosts = _hosts(groups, hostvars, ['all'] + sorted(groups))
    network_checks.check_docker_overlap(label, network, all_hosts, hostvars, errors)
    network_checks.check_mtus(label, settings, _hosts(groups, hostvars, ('researcher', 'nodes')), hostvars, errors)
    check_federation_name(all_hosts, hostvars, server_host, settings.get('federation_name'), errors)
    for host in all_hosts:
        check_archive_dir(host, hostvars[host], errors)
        errors.extend(container_engine.engine_problems(host, hostvars[host]))
    try:
        peers = vpn_peers(groups, hostvars, settings.get('extra_peers'))
    except AnsibleFilterError as exc:
        errors.append(str(exc))
        return errors
    counts = _check_peers(peers, server, pools, errors)
    _check_links(peers, hostvars, server_host, pools, errors)
    _check_capacity(label, counts, server, pools, errors)
    check_federation(groups, hostvars, settings, errors)
    return errors


def vpn_peer_requests(peers):
    """Peers with a tunnel, as wg_peer's peers option takes them (name, type, public_key, address)."""
    return [dict((k, p.get(k)) for k in ('name', 'type', 'public_key', 'address'))
            for p in peers if p.get('link') != 'local']


def vpn_peer_summary(peer):
    """One line about a registered peer, without its pre-shared key."""
    return '%s (%s) %s %s' % (peer['name'], peer['type'], peer['address'],
                              peer.get('public_key') or 'registered without a key yet')


class FilterModule(object):
    def filters(self):
        return {'vpn_peers': vpn_peers, 'vpn_validate': vpn_validate, 'gui_problems': gui_problems,
                'vpn_peer_requests': vpn_peer_requests, 'vpn_peer_summary': vpn_peer_summary,
                'vpn_local_links': vpn_local_links}
