# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""wg_live.PodmanInterface: the server container's interface through podman, with a
recorded runner standing in for AnsibleModule.run_command."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.federated.vpn.plugins.module_utils import wg_live
from ansible_collections.federated.vpn.plugins.module_utils.wireguard import WireGuardError

KEY = 'aGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8gd28='
PEER = 'cGVlciBwZWVyIHBlZXIgcGVlciBwZWVyIHBlZXIgcGU='
PSK = 'c2VjcmV0IHNlY3JldCBzZWNyZXQgc2VjcmV0IHNlY3I='


class Runner:
    def __init__(self, status=(0, 'running\n', ''), wg=None):
        self.status, self.wg, self.calls = status, wg or {}, []

    def __call__(self, argv):
        self.calls.append(argv)
        if argv[1:3] == ['container', 'inspect']:
            return self.status
        assert argv[1:4] == ['exec', 'fbm-vpnserver', 'wg']
        return self.wg.get(tuple(argv[4:]), (1, '', 'unknown'))


def live(runner):
    return wg_live.PodmanInterface('fbm-vpnserver', 'wg0', runner, '/usr/bin/podman')


def test_a_missing_container_is_none():
    assert live(Runner(status=(125, '', 'Error: no such container fbm-vpnserver'))).container() is None
    assert live(Runner(status=(125, '', 'Error: no such container'))).is_running() is False


def test_a_stopped_container_raises():
    with pytest.raises(WireGuardError, match='exited, not running'):
        live(Runner(status=(0, 'exited\n', ''))).container()


def test_podman_failing_otherwise_is_named():
    with pytest.raises(WireGuardError, match='cannot inspect container fbm-vpnserver with podman'):
        live(Runner(status=(1, '', 'Error: cannot connect'))).container()


def test_state_and_key_through_podman_exec():
    dump = '%s\t%s\t51820\toff\n%s\t%s\t(none)\t10.221.0.2/32\t0\t0\t0\toff\n' % ('cHJpdmF0ZQ==', KEY, PEER, PSK)
    runner = Runner(wg={('show', 'wg0', 'public-key'): (0, KEY + '\n', ''), ('show', 'wg0', 'dump'): (0, dump, '')})
    interface = live(runner)
    assert interface.public_key() == KEY
    port, peers = interface.state()
    assert port == 51820 and list(peers) == [PEER]
    # one inspection for the whole run; podman from the path given
    assert [call[1] for call in runner.calls].count('container') == 1
    assert all(call[0] == '/usr/bin/podman' for call in runner.calls)


def test_a_failing_wg_says_the_exit_code_not_the_output():
    runner = Runner(wg={('syncconf', 'wg0', '/etc/wireguard/wg0.conf'): (1, PSK, 'boom')})
    with pytest.raises(WireGuardError) as raised:
        live(runner).syncconf('/etc/wireguard/wg0.conf')
    assert 'exit 1' in str(raised.value) and PSK not in str(raised.value)
