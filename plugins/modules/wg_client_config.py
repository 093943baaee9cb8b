#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: wg_client_config
short_description: Write a VPN client's WireGuard configuration on its own host
description:
  - Writes a wg(8) configuration (usable with C(wg setconf) and C(wg syncconf)) for a
    client of the VPN server, from what M(federated.vpn.wg_peer) returned for it.
  - The private key is read from O(private_key_path) on the host itself, so it never
    passes through the controller. The file is written atomically, mode 0600.
  - Every value is checked before anything is written (keys in canonical base64 and not
    all zeros, an endpoint clients can dial, a valid peer name), so no value can add lines
    of its own to the configuration.
version_added: 0.1.0
author: federated.vpn contributors (!UNKNOWN)
options:
  path:
    description: Configuration file to write.
    type: path
    required: true
  private_key_path:
    description: The client's private key file (see M(federated.vpn.wg_keypair)).
    type: path
    required: true
  server_public_key:
    description: The VPN server's public key.
    type: str
    required: true
  preshared_key:
    description: The pre-shared key the server registered for this client.
    type: str
    required: true
  endpoint:
    description:
      - Server address and port, C(host:port); the host is a DNS name or an IPv4 address
        (not loopback, not 0.0.0.0; IPv6 endpoints are not supported).
    type: str
    required: true
  allowed_ips:
    description: Networks routed through the tunnel.
    type: list
    elements: str
    required: true
  persistent_keepalive:
    description: Seconds between keepalives, for clients behind NAT; 0 disables them.
    type: int
    default: 25
  name:
    description: Peer name, written as a comment.
    type: str
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - federated.vpn.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details: Private and pre-shared keys are shown as C((hidden)).
  platform:
    platforms: posix
  idempotent:
    support: full
'''

EXAMPLES = r'''
- name: Write the tunnel configuration of hospital-a
  federated.vpn.wg_client_config:
    path: /var/lib/federated-vpn/peers/hospital-a/wg0.conf
    private_key_path: /var/lib/federated-vpn/peers/hospital-a/private.key
    server_public_key: "{{ reg.server_public_key }}"
    preshared_key: "{{ reg.psk }}"
    endpoint: "{{ reg.endpoint }}"
    allowed_ips: "{{ reg.allowed_ips }}"
  no_log: true
'''

RETURN = r'''
path:
  description: The configuration file.
  returned: always
  type: str
public_key:
  description: The client's public key, derived from its private key.
  returned: when the private key exists
  type: str
'''

import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.federated.vpn.plugins.module_utils import wireguard as wg
from ansible_collections.federated.vpn.plugins.module_utils.wireguard import WireGuardError


def ensure_config(module):
    p = module.params
    # everything written into the file is checked first: a newline in any value would
    # add lines of its own to the configuration
    wg.validate_key(p['server_public_key'], 'server_public_key')
    wg.validate_key(p['preshared_key'], 'preshared_key')
    wg.validate_endpoint(p['endpoint'], 'endpoint')
    if not p['allowed_ips']:
        raise WireGuardError('allowed_ips is empty: the tunnel would carry nothing')
    for cidr in p['allowed_ips']:
        wg.network(cidr, 'allowed_ips')
    if p['name'] is not None:
        wg.validate_peer_name(p['name'])
    if p['persistent_keepalive'] is not None and not 0 <= p['persistent_keepalive'] <= 65535:
        raise WireGuardError('persistent_keepalive %d is outside 0-65535' % p['persistent_keepalive'])

    result = dict(changed=False, path=p['path'])
    private_key = wg.read_private_key(p['private_key_path'])
    current = wg.read_text(p['path'])
    if private_key is None:
        if not module.check_mode:
            raise WireGuardError('private key %s does not exist: run wg_keypair first' % p['private_key_path'])
        result['changed'] = True
        return result

    result['public_key'] = wg.public_key(private_key)
    wanted = wg.render_client_config(private_key, p['server_public_key'], p['preshared_key'], p['endpoint'],
                                     p['allowed_ips'], p['persistent_keepalive'], p['name'])
    result['changed'] = current != wanted or wg.file_mode(p['path']) != 0o600
    if result['changed'] and not module.check_mode:
        directory = os.path.dirname(p['path'])
        if directory and not os.path.isdir(directory):
            os.makedirs(directory, 0o700)
        wg.atomic_write(p['path'], wanted)
    if module._diff:
        result['diff'] = dict(before_header=p['path'], after_header=p['path'],
                              before=wg.redact(current), after=wg.redact(wanted))
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            private_key_path=dict(type='path', required=True, no_log=False),
            server_public_key=dict(type='str', required=True, no_log=False),
            preshared_key=dict(type='str', required=True, no_log=True),
            endpoint=dict(type='str', required=True),
            allowed_ips=dict(type='list', elements='str', required=True),
            persistent_keepalive=dict(type='int', default=25),
            name=dict(type='str'),
        ),
        supports_check_mode=True,
    )
    if not wg.HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib('cryptography'), exception=str(wg.CRYPTOGRAPHY_IMPORT_ERROR))
    try:
        module.exit_json(**ensure_config(module))
    except WireGuardError as exc:
        module.fail_json(msg=str(exc))


if __name__ == '__main__':
    main()
