#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: wg_keypair
short_description: Ensure a WireGuard private key on the host that uses it
description:
  - Generates an X25519 private key with C(cryptography) when O(path) does not exist, and
    returns its public key. The private key never leaves the host and is never returned.
  - The file holds the base64 key, like C(wg genkey) output. It is written atomically and
    is mode 0600 before the secret is written; the directory is created 0700 if missing,
    and made 0700 again when group or others may enter it.
  - A present key is never replaced unless O(regenerate=always), so re-runs keep every
    tunnel up. An existing file that is not a valid key is an error, not a silent rewrite.
version_added: 0.1.0
author: federated.vpn contributors (!UNKNOWN)
options:
  path:
    description: Private key file.
    type: path
    required: true
  regenerate:
    description:
      - V(never) keeps a valid existing key (rotation must be asked for).
      - V(always) generates a new key on every run; use it only to rotate.
    type: str
    choices: [never, always]
    default: never
requirements:
  - cryptography
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - federated.vpn.attributes
attributes:
  check_mode:
    support: full
    details: On a host without the key, reports a change and returns no public key.
  diff_mode:
    support: full
    details: Shows the path and the public key, never the private key.
  platform:
    platforms: posix
  idempotent:
    support: partial
    details: Not with O(regenerate=always), by design.
'''

EXAMPLES = r'''
- name: Ensure the node's key and learn its public key
  federated.vpn.wg_keypair:
    path: /var/lib/federated-vpn/peers/hospital-a/private.key
  register: key

- name: Rotate a key
  federated.vpn.wg_keypair:
    path: /var/lib/federated-vpn/peers/hospital-a/private.key
    regenerate: always
'''

RETURN = r'''
public_key:
  description: Public key matching the private key; null in check mode before the key exists.
  returned: always
  type: str
  sample: 1VPAiQVfELCq8yMnqXFypTt5fzSwqNl8gL0c+m9KFGc=
path:
  description: The private key file.
  returned: always
  type: str
generated:
  description: Whether a new key was (or in check mode would be) generated.
  returned: always
  type: bool
'''

import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.federated.vpn.plugins.module_utils import wireguard as wg
from ansible_collections.federated.vpn.plugins.module_utils.wireguard import WireGuardError


def ensure_keypair(module):
    path = module.params['path']
    directory = os.path.dirname(path) or '.'
    always = module.params['regenerate'] == 'always'
    try:
        current = wg.read_private_key(path)
    except WireGuardError:
        if not always:
            raise
        current = None
    current_public = wg.public_key(current) if current else None
    generate = current is None or always
    fix_mode = not generate and wg.file_mode(path) != 0o600
    dir_mode = wg.file_mode(directory) if os.path.isdir(directory) else None
    # the directory of a private key is private too (the current directory is not managed)
    fix_dir = directory != '.' and dir_mode is not None and dir_mode & 0o077 != 0
    result = dict(changed=generate or fix_mode or fix_dir, path=path, generated=generate, public_key=current_public)

    if not module.check_mode:
        if not os.path.isdir(directory):
            _make_private_dirs(directory)
        elif fix_dir:
            os.chmod(directory, 0o700)
        if generate:
            private = wg.generate_private_key()
            wg.atomic_write(path, private + '\n')
            result['public_key'] = wg.public_key(private)
        elif fix_mode:
            os.chmod(path, 0o600)
    elif generate:
        result['public_key'] = None

    if module._diff:
        result['diff'] = dict(
            before={'path': path, 'public_key': current_public, 'mode': _mode(path)},
            after={'path': path, 'mode': '0600',
                   'public_key': (result['public_key'] or '(new key)') if generate else current_public},
        )
    return result


def _make_private_dirs(directory):
    """mkdir -p, every directory it makes 0700 (os.makedirs gives the parents 0777 - umask)."""
    parent = os.path.dirname(directory)
    if parent and parent != directory and not os.path.isdir(parent):
        _make_private_dirs(parent)
    os.mkdir(directory, 0o700)


def _mode(path):
    mode = wg.file_mode(path)
    return None if mode is None else '%04o' % mode


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            regenerate=dict(type='str', choices=['never', 'always'], default='never'),
        ),
        supports_check_mode=True,
    )
    if not wg.HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib('cryptography'), exception=str(wg.CRYPTOGRAPHY_IMPORT_ERROR))
    try:
        module.exit_json(**ensure_keypair(module))
    except WireGuardError as exc:
        module.fail_json(msg='%s; remove the file or use regenerate=always to replace it' % exc)


if __name__ == '__main__':
    main()
