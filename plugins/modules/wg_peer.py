#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: wg_peer
short_description: Register WireGuard peers on the VPN server and apply them live
description:
  - Owns the VPN server's peer registry, C(peers.json) in O(state_dir), which holds each
    peer's type, VPN address, public key and pre-shared key.
  - Addresses are stable for a peer's life. A fixed O(address) is used if given; otherwise
    the peer keeps the address it has, or gets the lowest free address of its type's pool.
    The first two addresses of every pool are never given out.
  - A pre-shared key is generated once per peer. A new O(public_key) for a known name
    replaces the old key (rotation); a key is never registered twice.
  - Renders C(wg0.conf) from the registry and the server settings. Registry and
    configuration are written atomically, mode 0600, and applied live under one lock, so
    concurrent runs lose nothing and never see each other's half-done work.
  - The registry is validated whenever it is read (every field of every peer, addresses
    inside their pools, no name, key or address twice); a problem fails the run with one
    line naming the file, the peer and the field, before anything is written.
  - A missing registry while C(wg0.conf) or the running interface still lists peers fails
    closed (the registry was lost, to be restored) instead of dropping every peer.
  - With O(container), applies the configuration to the running server with
    C(wg syncconf) (no tunnel drop), after checking that the live interface's public key
    is the server's key, and checks it again afterwards (fail closed).
  - Without O(name) or O(peers), only renders C(wg0.conf) (used before the server
    container first starts).
version_added: 0.1.0
author: federated.vpn contributors (!UNKNOWN)
options:
  state_dir:
    description:
      - Directory on the server host holding C(settings.json), C(peers.json), C(wg0.conf)
        and the server's private key.
    type: path
    required: true
  name:
    description: Name of one peer. Mutually exclusive with O(peers).
    type: str
  type:
    description: Type of the peer named O(name); selects its address pool.
    type: str
    choices: [node, researcher, management]
  public_key:
    description:
      - The peer's WireGuard public key (base64 of 32 bytes).
      - Omitted, the peer is registered without a key (address and PSK reserved, nothing
        written to C(wg0.conf)), or keeps the key it already has.
    type: str
  address:
    description: Fixed VPN address, inside the pool of the peer's type.
    type: str
  state:
    description: Whether the peer named O(name) should be registered.
    type: str
    choices: [present, absent]
    default: present
  peers:
    description: Several peers at once. Mutually exclusive with O(name).
    type: list
    elements: dict
    suboptions:
      name:
        description: Peer name.
        type: str
        required: true
      type:
        description: Peer type.
        type: str
        choices: [node, researcher, management]
      public_key:
        description: Peer public key.
        type: str
      address:
        description: Fixed VPN address.
        type: str
      state:
        description: Whether this peer should be registered.
        type: str
        choices: [present, absent]
        default: present
  exclusive:
    description:
      - Remove every registered peer that is not listed in O(peers). Pass the whole
        inventory, never only the hosts of the current play, or C(--limit) would remove
        peers.
    type: bool
    default: false
  container:
    description:
      - Name of the running server container to apply the configuration to. Omitted, only
        files are written.
    type: str
  apply_live:
    description:
      - With O(container), whether to apply the configuration to the running interface.
        V(false) only reads it, to refuse a lost registry while the interface has peers.
    type: bool
    default: true
  container_config_path:
    description: Path of C(wg0.conf) inside the container (O(state_dir) mounted there).
    type: str
    default: /etc/wireguard/wg0.conf
  interface:
    description: WireGuard interface in the container.
    type: str
    default: wg0
  docker_host:
    description: Docker engine to reach O(container) through.
    type: str
    default: unix:///var/run/docker.sock
  engine:
    description:
      - The engine that runs O(container). V(podman) reaches it through C(podman exec) as the
        module's user (rootless Podman), without the Docker SDK.
    type: str
    choices: [docker, podman]
    default: docker
notes:
  - The returned C(psk) values are secrets; use C(no_log) on the task that registers the
    result. The module never returns the server's private key.
requirements:
  - cryptography
  - docker (the Docker SDK for Python), only with O(container) and O(engine=docker)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - federated.vpn.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details: Peers as name, type, address and public key; pre-shared keys never shown.
  platform:
    platforms: posix
  idempotent:
    support: full
'''

EXAMPLES = r'''
- name: Register one node and apply it to the running server
  federated.vpn.wg_peer:
    state_dir: /var/lib/federated-vpn/server
    name: hospital-a
    type: node
    public_key: "{{ hospital_a_public_key }}"
    container: fbm-vpnserver
  register: reg
  no_log: true

- name: Register every peer of the inventory and remove the others
  federated.vpn.wg_peer:
    state_dir: /var/lib/federated-vpn/server
    peers:
      - {name: researcher, type: researcher, public_key: "{{ researcher_key }}"}
      - {name: hospital-a, type: node, address: 10.221.0.10}
    exclusive: true
    container: fbm-vpnserver
  no_log: true
'''

RETURN = r'''
address:
  description: VPN address of the peer named O(name).
  returned: when O(name) is given and O(state=present)
  type: str
  sample: 10.221.0.2
interface_address:
  description: Address with the VPN network's prefix, for the client interface.
  returned: when O(name) is given and O(state=present)
  type: str
  sample: 10.221.0.2/14
psk:
  description: Pre-shared key of the peer (secret).
  returned: when O(name) is given and O(state=present)
  type: str
server_public_key:
  description: The server's public key; null in check mode before the key exists.
  returned: always
  type: str
  sample: I4x4jtALCyt2Vlo5w3V3A8HcsoLtX2RZ6vzLu8da8AY=
endpoint:
  description: Address and port clients connect to.
  returned: always
  type: str
  sample: vpn.example.org:51820
allowed_ips:
  description: Networks a client routes through the tunnel.
  returned: when O(name) is given and O(state=present)
  type: list
  elements: str
  sample: [10.220.0.0/14]
peers:
  description: Per registered peer, the same keys as for a single peer.
  returned: always
  type: dict
  sample: {hospital-a: {address: 10.221.0.2, type: node, endpoint: vpn.example.org:51820}}
removed:
  description: Names of the peers removed by this run.
  returned: always
  type: list
  elements: str
live_changed:
  description: Whether the running interface had to be changed.
  returned: always
  type: bool
'''

import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.federated.vpn.plugins.module_utils import peer_registry as reg
from ansible_collections.federated.vpn.plugins.module_utils import wireguard as wg
from ansible_collections.federated.vpn.plugins.module_utils import wg_live
from ansible_collections.federated.vpn.plugins.module_utils.wireguard import WireGuardError

PEER_TYPES = list(wg.PEER_TYPES)


def argument_spec():
    return dict(
        state_dir=dict(type='path', required=True),
        name=dict(type='str'),
        type=dict(type='str', choices=PEER_TYPES),
        public_key=dict(type='str', no_log=False),
        address=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        peers=dict(type='list', elements='dict', options=dict(
            name=dict(type='str', required=True),
            type=dict(type='str', choices=PEER_TYPES),
            public_key=dict(type='str', no_log=False),
            address=dict(type='str'),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
        )),
        exclusive=dict(type='bool', default=False),
        container=dict(type='str'),
        apply_live=dict(type='bool', default=True),
        container_config_path=dict(type='str', default='/etc/wireguard/wg0.conf'),
        interface=dict(type='str', default='wg0'),
        docker_host=dict(type='str', default='unix:///var/run/docker.sock'),
        engine=dict(type='str', choices=['docker', 'podman'], default='docker'),
    )


class PeerManager:
    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.state_dir = self.params['state_dir']
        self.settings = reg.load_settings(self.state_dir)
        private_key = wg.read_private_key(self.settings.private_key_file)
        if private_key is None and not module.check_mode:
            raise WireGuardError('server private key %s does not exist: run the vpnserver role first'
                                 % self.settings.private_key_file)
        self._private_key = private_key
        self.server_public_key = wg.public_key(private_key) if private_key else None

    def requests(self):
        p = self.params
        if p['peers'] is not None:
            return p['peers']
        if p['name'] is None:
            return []
        if p['state'] == 'present' and not p['type']:
            raise WireGuardError('type is required to register peer %s' % p['name'])
        return [dict(name=p['name'], type=p['type'], public_key=p['public_key'],
                     address=p['address'], state=p['state'])]

    def run(self):
        result = dict(changed=False, live_changed=False, removed=[],
                      server_public_key=self.server_public_key, endpoint=self.settings.endpoint)
        live = self.live_interface()
        if self.module.check_mode:
            new, before, files_changed, live_changed = self.reconcile(live)
        else:
            # the live apply belongs to the same critical section as the registry write:
            # another run must not sync its own registry in between
            with reg.locked(self.state_dir):
                new, before, files_changed, live_changed = self.reconcile(live)
        result['removed'] = sorted(set(before) - set(new))
        result['live_changed'] = live_changed
        result['changed'] = files_changed or live_changed
        if self.module._diff:
            result['diff'] = dict(before_header='peers', after_header='peers',
                                  before=reg.describe(before), after=reg.describe(new))
        result['peers'] = dict((name, reg.peer_result(self.settings, name, entry, self.server_public_key))
                               for name, entry in new.items())
        if self.params['name'] and self.params['state'] == 'present':
            result.update(result['peers'][self.params['name']])
        return result

    def reconcile(self, live):
        """Plan, and outside check mode write and apply, the registry and wg0.conf."""
        before = reg.load_registry(self.state_dir, self.settings)
        if before is None:
            reg.refuse_lost_registry(self.state_dir, self.live_peer_count(live))
            before = {}
        new, _removed = reg.plan(before, self.settings, self.requests(), self.params['exclusive'],
                                 server_public_key=self.server_public_key)
        reg_path = os.path.join(self.state_dir, reg.REGISTRY_FILE)
        reg_changed = new != before or wg.file_mode(reg_path) != 0o600
        conf_path = os.path.join(self.state_dir, reg.CONFIG_FILE)
        conf_changed = True
        if self._private_key:
            conf = wg.render_server_config(self._private_key, self.settings.port,
                                           [dict(entry, name=name) for name, entry in new.items()])
            conf_changed = wg.read_text(conf_path) != conf or wg.file_mode(conf_path) != 0o600
        if not self.module.check_mode:
            if reg_changed:
                wg.atomic_write(reg_path, reg.dump_registry(new))
            if conf_changed:
                wg.atomic_write(conf_path, conf)
        live_changed = self.apply_live(live, new) if live and self.params['apply_live'] else False
        return new, before, reg_changed or conf_changed, live_changed

    def live_interface(self):
        if not self.params['container']:
            return None
        if self.params['engine'] == 'podman':
            return wg_live.PodmanInterface(self.params['container'], self.params['interface'], self.module.run_command,
                                           self.module.get_bin_path('podman', required=True))
        if not wg_live.HAS_DOCKER:
            self.module.fail_json(msg=missing_required_lib('docker'), exception=str(wg_live.DOCKER_IMPORT_ERROR))
        return wg_live.LiveInterface(self.params['container'], self.params['interface'], self.params['docker_host'])

    def live_peer_count(self, live):
        """Peers on the running interface; 0 without a running server container."""
        if live is None or not live.is_running():
            return 0
        return len(live.state()[1])

    def apply_live(self, live, registry):
        if live.container() is None:
            if self.module.check_mode:
                return True
            raise WireGuardError('container %s does not exist: start the vpnserver role first'
                                 % self.params['container'])
        if self.server_public_key is None:
            return True
        return wg_live.sync(live, self.params['container_config_path'], self.server_public_key,
                            self.settings.port, reg.live_peers(registry), self.module.check_mode)


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(),
        mutually_exclusive=[('name', 'peers')],
        supports_check_mode=True,
    )
    if not wg.HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib('cryptography'), exception=str(wg.CRYPTOGRAPHY_IMPORT_ERROR))
    settings_path = os.path.join(module.params['state_dir'], reg.SETTINGS_FILE)
    if module.check_mode and not os.path.exists(settings_path):
        # A first deployment in check mode: the vpnserver role would have written the
        # settings by now. Everything would change; nothing can be predicted in detail.
        module.exit_json(changed=True, live_changed=bool(module.params['container']), removed=[], peers={},
                         server_public_key=None, endpoint=None,
                         msg='%s does not exist yet (check mode on a new server)' % settings_path)
    try:
        module.exit_json(**PeerManager(module).run())
    except WireGuardError as exc:
        module.fail_json(msg=str(exc))


if __name__ == '__main__':
    main()
