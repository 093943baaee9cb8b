# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

"""Filters wg_pubkey (private key -> public key), wg_valid_key (is it a WireGuard key) and
tunnels_to_check (which tunnels the server's handshakes do not prove).

Documented in wg_pubkey.yml, wg_valid_key.yml and tunnels_to_check.yml beside this file."""

from ansible.errors import AnsibleFilterError

from ansible_collections.federated.vpn.plugins.module_utils import wireguard as wg


def wg_pubkey(private_key):
    if not wg.HAS_CRYPTOGRAPHY:
        raise AnsibleFilterError('wg_pubkey needs the Python library cryptography')
    try:
        return wg.public_key(private_key)
    except wg.WireGuardError as exc:
        raise AnsibleFilterError('wg_pubkey: %s' % exc)


def wg_valid_key(value):
    return wg.is_valid_key(value)


# WireGuard's REJECT_AFTER_TIME: a session older than this is dead; one in use is rekeyed
# every 120 s, and clients send a keepalive every 25 s
HANDSHAKE_PROOF_SECONDS = 180


def tunnels_to_check(tunnels, server_status, public_keys):
    """The containers of tunnels (container, peer, fresh) to check from inside: all but the
    fresh ones whose peer's key the server saw complete a handshake less than 180 s ago.

    server_status: the server's vpn-status read in this run ({} when it was not): its clock
    (now) and its peers (public_key, latest_handshake epoch or 0); public_keys: {peer name:
    public key}.
    """
    now = int((server_status or {}).get('now') or 0)
    seen = dict((peer['public_key'], peer['latest_handshake']) for peer in (server_status or {}).get('peers') or [])
    out = []
    for tunnel in tunnels or []:
        latest = int(seen.get((public_keys or {}).get(tunnel['peer'], ''), 0) or 0)
        if not (tunnel.get('fresh') and latest > 0 and now - latest < HANDSHAKE_PROOF_SECONDS):
            out.append(tunnel['container'])
    return out


class FilterModule(object):
    def filters(self):
        return {'wg_pubkey': wg_pubkey, 'wg_valid_key': wg_valid_key, 'tunnels_to_check': tunnels_to_check}
