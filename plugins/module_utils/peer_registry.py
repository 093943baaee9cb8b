# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The VPN server's peer registry: who may connect, with which key, at which address.

Layout of a server state directory (all files 0600, written atomically):
    settings.json  network, server address, pools, port, endpoint, key file (role-written)
    peers.json     the registry (this module)
    wg0.conf       rendered from both, mounted read-only into the server container
    .lock          flock(2) target serialising read-modify-write of the registry
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import copy
import fcntl
import json
import os
import re

from ansible_collections.federated.vpn.plugins.module_utils import wireguard as wg
from ansible_collections.federated.vpn.plugins.module_utils.wireguard import WireGuardError

SETTINGS_FILE = 'settings.json'
REGISTRY_FILE = 'peers.json'
CONFIG_FILE = 'wg0.conf'
LOCK_FILE = '.lock'
REGISTRY_FORMAT = 1


class Settings:
    """Server settings, validated; every error names the settings key at fault."""

    def __init__(self, data, state_dir):
        if not isinstance(data, dict):
            raise WireGuardError('%s must hold a JSON object' % SETTINGS_FILE)
        missing = [k for k in ('network', 'address', 'port', 'endpoint', 'pools') if k not in data]
        if missing:
            raise WireGuardError('%s lacks %s' % (SETTINGS_FILE, ', '.join(missing)))
        self.network = wg.network(data['network'], 'settings network')
        self.address = wg.address(data['address'], 'settings address')
        if self.address not in self.network:
            raise WireGuardError('settings address %s is outside network %s' % (self.address, self.network))
        try:
            self.port = int(data['port'])
        except (TypeError, ValueError):
            raise WireGuardError('settings port %r is not a number' % (data['port'],))
        if not 1 <= self.port <= 65535:
            raise WireGuardError('settings port %d is outside 1-65535' % self.port)
        self.endpoint = wg.validate_endpoint(data['endpoint'], 'settings endpoint')
        self.pools = {}
        for peer_type in wg.PEER_TYPES:
            if peer_type not in data['pools']:
                raise WireGuardError('settings pools lacks %s' % peer_type)
            pool = wg.network(data['pools'][peer_type], 'settings pools.%s' % peer_type)
            if not pool.subnet_of(self.network):
                raise WireGuardError('settings pools.%s %s is outside network %s' % (peer_type, pool, self.network))
            if pool.num_addresses < 4:
                raise WireGuardError('settings pools.%s %s is too small' % (peer_type, pool))
            self.pools[peer_type] = pool
        key_file = data.get('private_key_file', 'server.key')
        self.private_key_file = os.path.join(state_dir, key_file)

    def interface_address(self, addr):
        return '%s/%d' % (addr, self.network.prefixlen)


def load_settings(state_dir):
    text = wg.read_text(os.path.join(state_dir, SETTINGS_FILE))
    if text is None:
        raise WireGuardError('%s not found in %s: deploy the vpnserver role first' % (SETTINGS_FILE, state_dir))
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise WireGuardError('%s is not valid JSON: %s' % (SETTINGS_FILE, exc))
    return Settings(data, state_dir)


ENTRY_FIELDS = ('type', 'address', 'public_key', 'psk')


def load_registry(state_dir, settings):
    """The registry of state_dir, validated against settings; None if the file is missing.

    Nothing from the file reaches wg0.conf unchecked: every problem raises one line naming
    the file, the peer and the field.
    """
    path = os.path.join(state_dir, REGISTRY_FILE)
    text = wg.read_text(path)
    if text is None:
        return None
    return parse_registry(text, settings, path)


def _no_duplicate_keys(pairs):
    data = {}
    for key, value in pairs:
        if key in data:
            raise WireGuardError('key %s appears twice' % json.dumps(key))
        data[key] = value
    return data


def parse_registry(text, settings, where=REGISTRY_FILE):
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except (ValueError, WireGuardError) as exc:
        raise WireGuardError('%s: not valid JSON: %s' % (where, exc))
    if not isinstance(data, dict) or data.get('format') != REGISTRY_FORMAT or not isinstance(data.get('peers'), dict):
        raise WireGuardError('%s: not a peer registry (expected {"format": %d, "peers": {...}})'
                             % (where, REGISTRY_FORMAT))
    addresses = {}
    keys = {}
    for name, entry in sorted(data['peers'].items()):
        problem = _entry_problem(name, entry, settings)
        if problem is None:
            for field, seen in (('address', addresses), ('public_key', keys)):
                value = entry[field]
                if value is not None and value in seen:
                    problem = field, 'is also the %s of peer %s' % (field.replace('_', ' '), json.dumps(seen[value]))
                seen.setdefault(value, name)
        if problem:
            raise WireGuardError('%s: peer %s, field %s: %s' % (where, json.dumps(name), problem[0], problem[1]))
    return data['peers']


def _entry_problem(name, entry, settings):
    """(field, problem) of one registry entry, or None. Never quotes a key or a PSK."""
    try:
        wg.validate_peer_name(name)
    except WireGuardError:
        return 'name', 'not a valid peer name'
    if not isinstance(entry, dict):
        return '(entry)', 'must be an object'
    missing = [f for f in ENTRY_FIELDS if f not in entry]
    if missing:
        return missing[0], 'missing'
    unknown = sorted(set(entry) - set(ENTRY_FIELDS))
    if unknown:
        return unknown[0], 'unknown field'
    if entry['type'] not in wg.PEER_TYPES:
        return 'type', 'must be one of %s' % ', '.join(wg.PEER_TYPES)
    pool = settings.pools[entry['type']]
    try:
        addr = wg.address(entry['address'], 'address')
    except WireGuardError:
        return 'address', 'not an IPv4 address'
    if str(addr) != entry['address']:
        return 'address', 'not written as an IPv4 address'
    if addr == settings.address or not wg.in_pool(pool, addr):
        return 'address', '%s is outside the usable range %s-%s of the %s pool %s in %s' % (
            addr, wg.first_host(pool), pool.broadcast_address - 1, entry['type'], pool, SETTINGS_FILE)
    for field, required in (('public_key', False), ('psk', True)):
        if entry[field] is None and not required:
            continue
        try:
            wg.validate_key(entry[field], field)
        except WireGuardError as exc:
            return field, str(exc)
    return None


def _config_peers(text):
    """Names of the peers a rendered wg0.conf lists (from the comment before each [Peer])."""
    names = re.findall(r'^# (\S+) \(\w+\)\s*\n\[Peer\]', text or '', re.MULTILINE)
    count = len(re.findall(r'^\s*\[Peer\]\s*$', text or '', re.MULTILINE))
    return names if len(names) == count else names + ['(unnamed)'] * (count - len(names))


def refuse_lost_registry(state_dir, live_peer_count=0):
    """Fail closed when peers.json is missing but wg0.conf or the live interface has peers.

    Re-rendering from an empty registry would drop every peer in silence.
    """
    conf_peers = _config_peers(wg.read_text(os.path.join(state_dir, CONFIG_FILE)))
    found = []
    if conf_peers:
        found.append('%s lists %d peer(s) (%s)' % (CONFIG_FILE, len(conf_peers), ', '.join(conf_peers)))
    if live_peer_count:
        found.append('the running interface has %d peer(s)' % live_peer_count)
    if found:
        raise WireGuardError(
            '%s is missing from %s, but %s: the registry was lost. Nothing was changed. Restore it '
            '(playbooks/restore.yml -e backup_file=PATH); to drop every peer on purpose, remove %s and '
            'the server container (playbooks/clean.yml -e level=configuration) and deploy again.'
            % (REGISTRY_FILE, state_dir, ' and '.join(found), CONFIG_FILE))


def dump_registry(peers):
    return json.dumps({'format': REGISTRY_FORMAT, 'peers': peers}, indent=2, sort_keys=True) + '\n'


@contextlib.contextmanager
def locked(state_dir):
    """Hold an exclusive lock on the state directory for a read-modify-write."""
    fd = os.open(os.path.join(state_dir, LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _normalise(requests):
    """Validate the requested peers; return them as clean dicts."""
    seen = set()
    out = []
    for req in requests:
        name = wg.validate_peer_name(req.get('name'))
        if name in seen:
            raise WireGuardError('peer %s is listed twice' % name)
        seen.add(name)
        state = req.get('state') or 'present'
        clean = {'name': name, 'state': state}
        if state == 'present':
            if req.get('type') not in wg.PEER_TYPES:
                raise WireGuardError('peer %s: type must be one of %s, not %r'
                                     % (name, ', '.join(wg.PEER_TYPES), req.get('type')))
            clean['type'] = req['type']
            key = req.get('public_key')
            clean['public_key'] = wg.validate_key(key, 'public key of peer %s' % name) if key else None
            fixed = req.get('address')
            clean['address'] = wg.address(fixed, 'address of peer %s' % name) if fixed else None
        out.append(clean)
    return out


def plan(registry, settings, requests, exclusive=False, psk_factory=wg.generate_psk,
         server_public_key=None):
    """Compute the registry after applying requests.

    registry: {name: {type, address, public_key, psk}} as stored; not modified.
    Returns (new_registry, removed_names). Addresses are stable for a peer's life:
    a fixed address if given, else the one it already has if still in its type's pool,
    else the lowest free address of that pool. A new key for a known name replaces the
    old one; the PSK is made once per peer.
    """
    requests = _normalise(requests)
    new = copy.deepcopy(registry)
    present = [r for r in requests if r['state'] == 'present']
    listed = set(r['name'] for r in requests)
    absent = listed - set(r['name'] for r in present)
    removed = sorted(n for n in new if n in absent or (exclusive and n not in listed))
    for name in removed:
        del new[name]

    requested = set(r['name'] for r in present)
    claimed = {}
    for name, entry in new.items():
        if name not in requested:
            claimed[wg.address(entry['address'], 'registry address of %s' % name)] = name

    targets = {}
    for req in present:
        pool = settings.pools[req['type']]
        entry = new.get(req['name'])
        if req['address'] is not None:
            if not wg.in_pool(pool, req['address']):
                raise WireGuardError('address %s of peer %s is outside the %s pool %s (usable %s-%s)'
                                     % (req['address'], req['name'], req['type'], pool,
                                        wg.first_host(pool), pool.broadcast_address - 1))
            targets[req['name']] = req['address']
        elif entry and entry['type'] == req['type'] and wg.in_pool(pool, wg.address(entry['address'], 'registry')):
            targets[req['name']] = wg.address(entry['address'], 'registry')
    for name, addr in targets.items():
        if addr == settings.address:
            raise WireGuardError('address %s of peer %s is the server address' % (addr, name))
        if addr in claimed:
            raise WireGuardError('address %s of peer %s is already used by peer %s' % (addr, name, claimed[addr]))
        claimed[addr] = name

    used = set(claimed)
    used.add(settings.address)
    for req in present:
        if req['name'] not in targets:
            addr = wg.allocate(settings.pools[req['type']], used)
            targets[req['name']] = addr
            used.add(addr)

    for req in present:
        entry = new.get(req['name'])
        key = req['public_key'] if req['public_key'] is not None else (entry or {}).get('public_key')
        new[req['name']] = {
            'type': req['type'],
            'address': str(targets[req['name']]),
            'public_key': key,
            'psk': (entry or {}).get('psk') or psk_factory(),
        }

    owners = {}
    for name, entry in sorted(new.items()):
        key = entry.get('public_key')
        if not key:
            continue
        if key == server_public_key:
            raise WireGuardError('peer %s uses the server\'s own public key' % name)
        if key in owners:
            raise WireGuardError('public key of peer %s is already registered for peer %s'
                                 % (name, owners[key]))
        owners[key] = name
    return new, removed


def peer_result(settings, name, entry, server_public_key):
    """What a client needs to configure its side of the tunnel (holds the PSK)."""
    return {
        'name': name,
        'type': entry['type'],
        'address': entry['address'],
        'interface_address': settings.interface_address(entry['address']),
        'public_key': entry.get('public_key'),
        'psk': entry['psk'],
        'server_public_key': server_public_key,
        'endpoint': settings.endpoint,
        'server_address': str(settings.address),
        'allowed_ips': [str(settings.network)],
    }


def describe(registry):
    """Registry as text without secrets, one peer per line, for diffs."""
    rows = []
    for name, entry in sorted(registry.items(), key=lambda kv: wg.address(kv[1]['address'], 'registry')):
        rows.append('%s %s %s %s' % (name, entry['type'], entry['address'], entry.get('public_key') or '(no key yet)'))
    return '\n'.join(rows) + ('\n' if rows else '')


def live_peers(registry):
    """The peer set the running interface must show: {public_key: (psk, allowed_ips)}."""
    return dict((e['public_key'], (e['psk'], ('%s/32' % e['address'],)))
                for e in registry.values() if e.get('public_key'))
