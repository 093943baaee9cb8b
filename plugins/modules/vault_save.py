#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the code is the action plugin plugins/action/vault_save.py.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: vault_save
short_description: Save secret bytes to a private file on the controller, vault-encrypted with the run's password
description:
  - Writes O(content) (or the controller file O(src)) to O(dest) on the controller, for
    example an archive of a server's keys fetched with M(ansible.builtin.slurp).
  - O(dest) is written atomically through a temporary file beside it that is mode 0600
    before any byte is written, so the file is never readable by others, and a reader sees
    the old file or the whole new one.
  - Encrypts with Ansible Vault, with the vault password the run was given
    (C(--vault-password-file), C(--ask-vault-pass), E(ANSIBLE_VAULT_PASSWORD_FILE), C(--vault-id));
    with several, the one named by C(vault_encrypt_identity), else the first. The file is
    then read back by anything that decrypts vault files, such as M(ansible.builtin.unarchive)
    and M(ansible.builtin.copy), or C(ansible-vault decrypt).
  - Missing parent directories of O(dest) are created mode 0700; existing ones are left as
    they are.
  - Runs on the controller only (an action plugin), since modules never see vault secrets.
version_added: 0.1.0
author: federated.vpn contributors (!UNKNOWN)
options:
  dest:
    description: File to write on the controller (relative to the directory ansible-playbook runs in).
    type: path
    required: true
  content:
    description:
      - The bytes to save, base64-encoded (as M(ansible.builtin.slurp) returns them).
      - It is secret, so use C(no_log) on the task. Mutually exclusive with O(src).
    type: str
  src:
    description: A file on the controller whose bytes to save instead of O(content).
    type: path
  encrypt:
    description:
      - V(auto) encrypts when the run has a vault password, otherwise writes the bytes
        unencrypted and warns how to encrypt them.
      - V(true) fails, writing nothing, when the run has no vault password; V(false) never encrypts.
    type: raw
    default: auto
  encrypt_option:
    description: Name given to O(encrypt) in messages, for example the playbook variable it comes from.
    type: str
    default: encrypt
notes:
  - The result never holds the content. Its failure messages never quote it.
  - The data must not already be vault-encrypted.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - federated.vpn.attributes
attributes:
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
  check_mode:
    support: full
    details: Reports whether it would encrypt; writes nothing and creates no directory.
  diff_mode:
    support: none
    details: The content is secret; it is never shown.
  platform:
    platforms: posix
  idempotent:
    support: none
    details: Rewrites O(dest) on every run (vault encryption is salted, so the bytes always differ).
'''

EXAMPLES = r'''
- name: Read the archive on the server
  ansible.builtin.slurp:
    src: /tmp/server-state.tar.gz
  register: archive
  no_log: true

- name: Save it on the controller, vault-encrypted if the run has a vault password
  federated.vpn.vault_save:
    content: "{{ archive.content }}"
    dest: backups/server-state.tar.gz
    encrypt: "{{ backup_encrypt | default('auto') }}"
    encrypt_option: backup_encrypt
  no_log: true
'''

RETURN = r'''
dest:
  description: Absolute path of the file on the controller.
  returned: always
  type: str
  sample: /home/me/backups/server-state.tar.gz
encrypted:
  description: Whether the file is (in check mode, would be) vault-encrypted.
  returned: unless the arguments are invalid
  type: bool
created_directories:
  description: Parent directories that were created (mode 0700).
  returned: when the file was written
  type: list
  elements: str
'''
