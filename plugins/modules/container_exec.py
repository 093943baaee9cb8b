#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the code is the action plugin plugins/action/container_exec.py.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: container_exec
short_description: Run a command in one of the federation's running containers on the host's engine
description:
  - Has the engine's own module run the command (M(community.docker.docker_container_exec), or
    M(containers.podman.podman_container_exec) on a host whose C(container_engine) is C(podman)),
    chosen in the collection's C(plugin_utils/container_engine.py).
  - Always reports a change, as the engine's module does; tasks that only read say
    C(changed_when).
version_added: 0.1.0
author: federated.vpn contributors (!UNKNOWN)
options:
  container:
    description: The container's name.
    type: str
    required: true
  argv:
    description: The command, as a list of arguments (no shell).
    type: list
    elements: str
    required: true
  user:
    description: The user the command runs as, else the container's.
    type: str
  env:
    description: Environment added for the command.
    type: dict
  stdin:
    description:
      - Text given to the command on its standard input.
      - On Podman, whose module has no standard input, the text travels in the environment
        (C(FVPN_STDIN)) and a shell in the container gives it to the command.
    type: str
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
    support: none
  diff_mode:
    support: none
  platform:
    platforms: posix
  idempotent:
    support: none
seealso:
  - module: community.docker.docker_container_exec
'''

EXAMPLES = r'''
- name: Read a tunnel's state
  federated.vpn.container_exec:
    container: vpn-client-hospital1
    argv: [/usr/local/sbin/vpn-status]
  register: tunnel
  changed_when: false
'''

RETURN = r'''
stdout:
  description: The command's standard output.
  returned: success
  type: str
stderr:
  description: The command's standard error.
  returned: success
  type: str
rc:
  description: The command's exit status.
  returned: success
  type: int
'''
