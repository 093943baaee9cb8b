#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the code is the action plugin plugins/action/engine_info.py.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: engine_info
short_description: What the host's container engine holds, in one shape for Docker and Podman
description:
  - Reads every container (running or not), image and network of the engine the host's
    C(container_engine) names (C(docker) when unset), with the engine's own modules
    (M(community.docker.docker_host_info); M(containers.podman.podman_container_info),
    M(containers.podman.podman_image_info) and M(containers.podman.podman_network_info)).
  - Returns them in the shape M(community.docker.docker_host_info) gives with verbose output,
    whichever engine answered, so that one reader serves both.
  - On Podman, the network every rootless container gets from slirp4netns (10.0.2.0/24) is
    listed too, as C(slirp4netns), since the VPN's network must not overlap it.
  - Never fails because the engine does not answer; C(engine_answers) says so.
version_added: 0.1.0
author: federated.vpn contributors (!UNKNOWN)
options: {}
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
  - module: community.docker.docker_host_info
  - module: containers.podman.podman_container_info
'''

EXAMPLES = r'''
- name: Read the host's engine
  federated.vpn.engine_info:
  register: engine
'''

RETURN = r'''
engine:
  description: The engine read, C(docker) or C(podman).
  returned: always
  type: str
engine_answers:
  description: Whether the engine answered; when it did not, C(msg) says why.
  returned: always
  type: bool
containers:
  description: Every container, with at least C(Id), C(Names) (each with a leading C(/)),
    C(Image), C(ImageID), C(State) and C(Labels).
  returned: when the engine answered
  type: list
  elements: dict
images:
  description: Every image, with C(Id) and C(RepoTags) (on Podman also without the registry
    Podman added, C(localhost/) or C(docker.io/)).
  returned: when the engine answered
  type: list
  elements: dict
networks:
  description: Every network, with C(Name) and C(IPAM.Config[].Subnet).
  returned: when the engine answered
  type: list
  elements: dict
'''
