#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: secret_file
short_description: Ensure a random secret in a file on the host that uses it
description:
  - Generates a random secret (hexadecimal) into O(path) when the file does not exist, so
    that it never passes through the controller; keeps it on every later run.
  - The file is written atomically and is mode 0600 (or O(mode)) before the secret is
    written. The secret is never returned.
version_added: 0.1.0
author: federated.vpn contributors (!UNKNOWN)
options:
  path:
    description: The secret file.
    type: path
    required: true
  size:
    description: Number of random bytes (the file holds twice as many hexadecimal characters).
    type: int
    default: 32
  regenerate:
    description: V(never) keeps an existing secret; V(always) replaces it on every run.
    type: str
    choices: [never, always]
    default: never
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.files
  - federated.vpn.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
  idempotent:
    support: partial
    details: Not with O(regenerate=always), by design.
'''

EXAMPLES = r'''
- name: Ensure the GUI's persistent JWT signing key
  federated.vpn.secret_file:
    path: /var/lib/federated-vpn/nodes/hospital-a/secrets/gui_secret_key
    owner: root
    mode: "0600"
'''

RETURN = r'''
path:
  description: The secret file.
  returned: always
  type: str
generated:
  description: Whether a new secret was (or in check mode would be) written.
  returned: always
  type: bool
'''

import binascii
import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.federated.vpn.plugins.module_utils import wireguard as wg


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            size=dict(type='int', default=32),
            regenerate=dict(type='str', choices=['never', 'always'], default='never'),
        ),
        add_file_common_args=True,
        supports_check_mode=True,
    )
    path = module.params['path']
    if module.params['size'] < 16:
        module.fail_json(msg='size must be at least 16 bytes')
    current = wg.read_text(path)
    generate = not current or not current.strip() or module.params['regenerate'] == 'always'
    changed = generate
    if generate and not module.check_mode:
        directory = os.path.dirname(path)
        if directory and not os.path.isdir(directory):
            os.makedirs(directory, 0o700)
        secret = binascii.hexlify(os.urandom(module.params['size'])).decode('ascii')
        wg.atomic_write(path, secret + '\n')
    if os.path.exists(path):
        file_args = module.load_file_common_arguments(module.params)
        if file_args.get('mode') is None:
            file_args['mode'] = '0600'
        changed = module.set_fs_attributes_if_different(file_args, changed)
    module.exit_json(changed=changed, path=path, generated=generate)


if __name__ == '__main__':
    main()
