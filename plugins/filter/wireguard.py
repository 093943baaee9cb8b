# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

"""Filters wg_pubkey (private key -> public key) and wg_valid_key (is it a WireGuard key).

Documented in wg_pubkey.yml and wg_valid_key.yml beside this file."""

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


class FilterModule(object):
    def filters(self):
        return {'wg_pubkey': wg_pubkey, 'wg_valid_key': wg_valid_key}
