# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""WireGuard keys, wg(8) configuration files and VPN address pools.

Pure functions shared by the modules and filters of federated.vpn. Nothing here
prints or returns a private key or a pre-shared key except where the caller asks
for the rendered configuration file that must contain it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import ipaddress
import os
import re
import tempfile

try:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    HAS_CRYPTOGRAPHY = True
    CRYPTOGRAPHY_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the modules
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_IMPORT_ERROR = exc

KEY_BYTES = 32
PEER_TYPES = ('node', 'researcher', 'management')
PEER_NAME_RE = re.compile(r'[A-Za-z0-9][A-Za-z0-9_.-]{0,62}')  # matched in full
REDACTED = '(hidden)'
_SECRET_LINE_RE = re.compile(r'^(\s*(?:PrivateKey|PresharedKey)\s*=\s*).*$', re.MULTILINE)


class WireGuardError(ValueError):
    """A key, name, address or configuration that WireGuard would not accept."""


# --------------------------------------------------------------------------- keys

def validate_key(value, what='key'):
    """Return value if it is a WireGuard key as wg(8) writes one, else raise.

    That is the canonical base64 of 32 bytes (decoding and re-encoding gives the same
    text: wg refuses other spellings of the same bytes), not all zeros (wg reads that as
    "no key"), with nothing around it. The message never echoes the value: it may be a
    private key pasted by mistake.
    """
    if not isinstance(value, str):
        raise WireGuardError('%s must be a string' % what)
    if value != value.strip():
        raise WireGuardError('%s has leading or trailing whitespace (a newline?)' % what)
    if len(value) != 44 or not value.endswith('='):
        raise WireGuardError('%s is not a WireGuard key (base64 of 32 bytes, 44 characters)' % what)
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise WireGuardError('%s is not valid base64' % what)
    if len(raw) != KEY_BYTES:
        raise WireGuardError('%s does not decode to 32 bytes' % what)
    if base64.b64encode(raw).decode('ascii') != value:
        raise WireGuardError('%s is not in canonical base64 (another spelling of a key\'s bytes)' % what)
    if raw == bytes(KEY_BYTES):
        raise WireGuardError('%s is all zeros, which WireGuard reads as no key' % what)
    return value


def is_valid_key(value):
    try:
        validate_key(value)
        return True
    except WireGuardError:
        return False


def generate_private_key():
    raw = X25519PrivateKey.generate().private_bytes(
        encoding=serialization.Encoding.Raw,
        format=serialization.PrivateFormat.Raw,
        encryption_algorithm=serialization.NoEncryption(),
    )
    return base64.b64encode(raw).decode('ascii')


def public_key(private_key):
    raw = base64.b64decode(validate_key(private_key, 'private key'))
    pub = X25519PrivateKey.from_private_bytes(raw).public_key().public_bytes(
        encoding=serialization.Encoding.Raw,
        format=serialization.PublicFormat.Raw,
    )
    return base64.b64encode(pub).decode('ascii')


def generate_psk():
    return base64.b64encode(os.urandom(KEY_BYTES)).decode('ascii')


def read_private_key(path):
    """Read and validate a private key file; return None when it does not exist."""
    content = read_text(path)
    if content is None:
        return None
    # wg genkey ends the file with a newline; nothing else may surround the key
    return validate_key(content[:-1] if content.endswith('\n') else content, 'the private key in %s' % path)


# ---------------------------------------------------------------------- files

def atomic_write(path, data, mode=0o600):
    """Replace path with data so readers see the old or the new file, never half.

    The temporary file is created 0600 and given its final mode before the secret is
    written, in the destination directory so that the rename stays atomic.
    """
    if not isinstance(data, bytes):
        data = data.encode('utf-8')
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), dir=directory)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, 'wb') as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_text(path):
    try:
        with open(path, 'r') as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def file_mode(path):
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return None


# ------------------------------------------------------------- configuration

def redact(config_text):
    """The configuration with every private and pre-shared key hidden, for diffs."""
    if config_text is None:
        return ''
    return _SECRET_LINE_RE.sub(r'\g<1>' + REDACTED, config_text)


def render_server_config(private_key, listen_port, peers):
    """wg(8) configuration of the server; peers: iterable of dicts with name, type,
    address, public_key and psk. Only peers that have a public key are written."""
    lines = [
        '# Managed by federated.vpn (wg_peer). Do not edit: changes are overwritten.',
        '[Interface]',
        'PrivateKey = %s' % private_key,
        'ListenPort = %d' % int(listen_port),
    ]
    for peer in sorted(peers, key=lambda p: ipaddress.ip_address(p['address'])):
        if not peer.get('public_key'):
            continue
        lines.extend([
            '',
            '# %s (%s)' % (peer['name'], peer['type']),
            '[Peer]',
            'PublicKey = %s' % peer['public_key'],
            'PresharedKey = %s' % peer['psk'],
            'AllowedIPs = %s/32' % peer['address'],
        ])
    return '\n'.join(lines) + '\n'


def render_client_config(private_key, server_public_key, psk, endpoint, allowed_ips,
                         persistent_keepalive=25, name=None):
    lines = ['# Managed by federated.vpn (wg_client_config). Do not edit.']
    if name:
        lines.append('# peer %s' % name)
    lines.extend([
        '[Interface]',
        'PrivateKey = %s' % private_key,
        '',
        '[Peer]',
        'PublicKey = %s' % server_public_key,
        'PresharedKey = %s' % psk,
        'Endpoint = %s' % endpoint,
        'AllowedIPs = %s' % ', '.join(allowed_ips),
    ])
    if persistent_keepalive:
        lines.append('PersistentKeepalive = %d' % int(persistent_keepalive))
    return '\n'.join(lines) + '\n'


def parse_dump(dump_text):
    """Parse `wg show wg0 dump` into (listen_port, {public_key: (psk, allowed_ips)}).

    The interface line carries the private key: it is dropped here, never returned.
    """
    lines = [line for line in dump_text.splitlines() if line.strip()]
    if not lines:
        raise WireGuardError('empty output from wg show dump')
    interface = lines[0].split('\t')
    listen_port = int(interface[2]) if len(interface) > 2 and interface[2].isdigit() else 0
    peers = {}
    for line in lines[1:]:
        fields = line.split('\t')
        if len(fields) < 4:
            raise WireGuardError('unexpected line in wg show dump')
        psk = None if fields[1] == '(none)' else fields[1]
        allowed = tuple(sorted(a for a in fields[3].split(',') if a and a != '(none)'))
        peers[fields[0]] = (psk, allowed)
    return listen_port, peers


# ------------------------------------------------------------------ addresses

def validate_peer_name(name):
    if not isinstance(name, str) or not PEER_NAME_RE.fullmatch(name):
        raise WireGuardError(
            'peer name %r is invalid: 1-63 characters, letters, digits, ".", "_" or "-", '
            'starting with a letter or digit' % (name,))
    return name


LOOPBACK_NAMES = ('localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback')
_HOST_LABEL = r'[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
HOSTNAME_RE = re.compile(r'(?=.{1,253}\Z)%s(?:\.%s)*\.?' % (_HOST_LABEL, _HOST_LABEL))


def is_loopback_host(host):
    """Whether host (a name or an IP address, IPv6 possibly in brackets) is this machine's loopback."""
    if host.lower().rstrip('.') in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip('[]')).is_loopback
    except ValueError:
        return False


def endpoint_host_problem(host):
    """Why clients could not dial host as the VPN server's endpoint, or None if they can.

    IPv6 is refused: the containers' networks are IPv4 only, so it would not work end to end.
    """
    if not isinstance(host, str) or not host.strip():
        return 'is empty'
    if any(char.isspace() for char in host):
        return 'contains whitespace (a newline?)'
    if ':' in host or host.startswith('['):
        return ('holds a port or is an IPv6 address: give the host alone (the port has its own '
                'variable; IPv6 endpoints are not supported, the containers\' networks are IPv4)')
    if re.fullmatch(r'[0-9.]+', host):
        try:
            ip = ipaddress.IPv4Address(host)
        except ValueError:
            return 'is not a valid IPv4 address'
        if ip.is_loopback:
            return 'is a loopback address, which containers cannot reach the server at'
        if ip.is_unspecified or ip.is_multicast or ip == ipaddress.IPv4Address('255.255.255.255'):
            return 'is not an address clients can dial'
        return None
    if is_loopback_host(host):
        return 'is a loopback name, which containers cannot reach the server at'
    if not HOSTNAME_RE.fullmatch(host):
        return 'is not a host name or an IPv4 address'
    return None


def validate_endpoint(value, what='endpoint'):
    """Return value if it is HOST:PORT that clients can dial, else raise."""
    if not isinstance(value, str) or ':' not in value:
        raise WireGuardError('%s %r must be host:port' % (what, value))
    host, _sep, port = value.rpartition(':')
    problem = endpoint_host_problem(host)
    if problem:
        raise WireGuardError('%s %r: the host %s' % (what, value, problem))
    if not port.isdigit() or str(int(port)) != port or not 1 <= int(port) <= 65535:
        raise WireGuardError('%s %r: the port must be a number from 1 to 65535' % (what, value))
    return value


def network(cidr, what):
    try:
        return ipaddress.IPv4Network(str(cidr), strict=True)
    except (ValueError, TypeError) as exc:
        raise WireGuardError('%s: %r is not an IPv4 network in CIDR form (%s)' % (what, cidr, exc))


def address(value, what):
    try:
        return ipaddress.IPv4Address(str(value))
    except (ValueError, TypeError):
        raise WireGuardError('%s: %r is not an IPv4 address' % (what, value))


def first_host(pool):
    """First address given out in a pool.

    As in Fed-BioMed's plan, .0 and .1 of every pool are never given to a peer: the
    server is 10.220.0.1 and the first researcher is 10.222.0.2.
    """
    return pool.network_address + 2


def allocate(pool, used):
    """Lowest free address of pool, skipping the used set (of IPv4Address)."""
    candidate = first_host(pool)
    last = pool.broadcast_address - 1
    while candidate <= last:
        if candidate not in used:
            return candidate
        candidate += 1
    raise WireGuardError('address pool %s is exhausted (%d addresses in use)'
                         % (pool, len([u for u in used if u in pool])))


def in_pool(pool, addr):
    return first_host(pool) <= addr <= pool.broadcast_address - 1
