#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the code is the action plugin plugins/action/archive_check.py.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: archive_check
short_description: Check a tar archive on the controller, vault-encrypted or not, before it is unpacked anywhere
description:
  - Reads the tar archive O(src) on the controller (compressed or not) and fails unless
    every member is a regular file named in O(members), with a relative name inside the
    archive (no C(..), no absolute path), listed once, and every name in O(required) is there.
  - A vault-encrypted archive is decrypted in memory with the run's vault password; with
    none, or the wrong one, it fails saying so. M(ansible.builtin.unarchive) decrypts such
    an archive by itself.
  - Runs on the controller only (an action plugin), since modules never see vault secrets.
    Writes nothing.
version_added: 0.1.0
author: federated.vpn contributors (!UNKNOWN)
options:
  src:
    description: The archive on the controller.
    type: path
    required: true
  members:
    description: Names the archive may hold.
    type: list
    elements: str
    required: true
  required:
    description: Names the archive must hold.
    type: list
    elements: str
    default: []
notes:
  - Failure messages name the member at fault, never the archive's content.
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
    details: Reads only; runs the same in check mode.
  diff_mode:
    support: none
  platform:
    platforms: posix
  idempotent:
    support: full
'''

EXAMPLES = r'''
- name: Check a backup before it goes to the server
  federated.vpn.archive_check:
    src: backups/server-state.tar.gz
    members: [server.key, peers.json, settings.json]
    required: [server.key, settings.json]
'''

RETURN = r'''
src:
  description: Absolute path of the archive on the controller.
  returned: always
  type: str
encrypted:
  description: Whether the archive is vault-encrypted.
  returned: when the archive could be read
  type: bool
members:
  description: Names of its members, sorted.
  returned: success
  type: list
  elements: str
  sample: [peers.json, server.key, settings.json]
'''
