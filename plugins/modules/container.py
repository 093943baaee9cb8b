#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the code is the action plugin plugins/action/container.py.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: container
short_description: Run, restart or remove one of the federation's containers on the host's engine
description:
  - Describes a container once, in terms that do not depend on the engine, and has the
    engine's own module carry it out on the host, M(community.docker.docker_container) or
    M(containers.podman.podman_container) on a host whose C(container_engine) is C(podman).
    The choice of engine and the translation live in one place, the collection's
    C(plugin_utils/container_engine.py).
  - A started container restarts with the machine and after a crash, but not against an
    operator's stop (Docker's C(unless-stopped); on Podman the policy C(always), which the
    user unit C(podman-restart.service) starts at boot).
  - On Podman the container runs rootless as the SSH user, with slirp4netns's own port
    handler (a published port keeps the sender's address), Fed-BioMed's user 2101 mapped to
    the SSH user (files of bind mounts belong to the user on the host), and its log in a file.
    Whether it runs as described is decided by its digest label (read first when the run's
    listing does not hold); a container that does not is re-created.
  - A started container carries the digest of its description in the label
    C(federated-vpn.description). When the listing of the host's engine read at the start
    of the run (the fact C(federation_engine) that C(playbooks/validate.yml) sets) shows it
    running with that digest and from the image its reference names now, the task reports
    it unchanged without calling the engine's module. An image delivered since is compared
    by the ID its delivery reported (the fact C(container_host_image_ids)); on a host where
    this module changed a container since, nothing is compared.
version_added: 0.1.0
author: federated.vpn contributors (!UNKNOWN)
options:
  name:
    description: The container's name.
    type: str
    required: true
  state:
    description:
      - V(started) makes the container run as described, re-creating it when the
        description differs from the running container.
      - V(restarted) restarts the container as it runs, comparing nothing (it must exist).
      - V(absent) removes it.
    type: str
    choices: [started, restarted, absent]
    default: started
  image:
    description: The image. Required with O(state=started).
    type: str
  command:
    description: The command, as a list of arguments.
    type: list
    elements: str
  entrypoint:
    description: The entry point, as a list of arguments.
    type: list
    elements: str
  restart:
    description: Restart the container even when it runs as described (files it reads at start changed).
    type: bool
    default: false
  labels:
    description: Labels of the container.
    type: dict
  capabilities:
    description: Capabilities added to the container's.
    type: list
    elements: str
  devices:
    description: Host devices given to the container at the same path, read, write and mknod.
    type: list
    elements: path
  sysctls:
    description: Kernel parameters of the container's namespaces.
    type: dict
  published_ports:
    description: Published ports, each C(address:host port:container port[/protocol]).
    type: list
    elements: str
  network:
    description:
      - The container network it joins, which must exist; its only one. Default the engine's
        own (Docker's bridge).
      - In check mode, a container whose network does not exist yet (one the run makes
        first) is predicted to change, without calling the engine's module.
    type: str
  env:
    description: Environment of the container's processes.
    type: dict
  mounts:
    description: Host paths bind-mounted into the container.
    type: list
    elements: dict
    suboptions:
      source:
        description:
          - The path on the host. A leading C(~/) is the SSH user's home on the host (a rootless
            Podman host keeps its state there).
        type: str
        required: true
      target:
        description: The path in the container.
        type: path
        required: true
      read_only:
        description: Whether the container may only read it.
        type: bool
        default: false
  force_kill:
    description: With O(state=absent), kill the container instead of stopping it.
    type: bool
    default: false
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
    support: full
  platform:
    platforms: posix
  idempotent:
    support: partial
    details: O(state=restarted) and O(restart=true) always restart.
seealso:
  - module: community.docker.docker_container
'''

EXAMPLES = r'''
- name: Run a tunnel container
  federated.vpn.container:
    name: vpn-client-hospital1
    image: federated-vpn/wireguard:0.1.0
    capabilities: [NET_ADMIN]
    devices: [/dev/net/tun]
    mounts:
      - {source: /etc/federated-vpn/client/hospital1, target: /etc/wireguard, read_only: true}
'''

RETURN = r'''
container:
  description: The container as the engine describes it after the task (Docker's inspect output).
  returned: success, O(state) is not V(absent), and the engine's module was called
  type: dict
ansible_facts:
  description: What the run knows after a change.
  returned: changed
  type: dict
  contains:
    federation_engine_stale:
      description: The listing in C(federation_engine) no longer holds on this host.
      type: bool
'''
