#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the code is the action plugin plugins/action/container_info.py.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: container_info
short_description: One of the federation's containers as the host's engine inspects it
description:
  - Reads one container with the engine's own module (M(community.docker.docker_container_info), or
    M(containers.podman.podman_container_info) on a host whose C(container_engine) is C(podman)).
  - Returns C(exists) and the inspection in C(container) in the same way for both engines; both
    engines' inspections hold C(State.Status), C(State.Running) and C(State.Health.Status).
version_added: 0.1.0
author: federated.vpn contributors (!UNKNOWN)
options:
  name:
    description: The container's name.
    type: str
    required: true
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
  diff_mode:
    support: none
  platform:
    platforms: posix
  idempotent:
    support: full
seealso:
  - module: community.docker.docker_container_info
  - module: containers.podman.podman_container_info
'''

EXAMPLES = r'''
- name: Read the server container
  federated.vpn.container_info:
    name: fbm-vpnserver
  register: server
'''

RETURN = r'''
engine:
  description: The engine read, C(docker) or C(podman).
  returned: always
  type: str
exists:
  description: Whether the container exists.
  returned: success
  type: bool
container:
  description: The engine's inspection of the container, or none.
  returned: success
  type: dict
'''
