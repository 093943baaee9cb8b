"""images/wireguard/vpn-entrypoint with stub iptables, ip, wg and wireguard-go that log
their calls: the firewall is in place before wg0 exists, and a malformed rule never opens
anything."""
import os
import stat
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
ENTRYPOINT = os.path.join(ROOT, 'images', 'wireguard', 'vpn-entrypoint')
STUB = '#!/bin/sh\necho "$(basename "$0") $*" >>"$CALLS"\n%s\n'
STUBS = {
    'iptables': '',
    # a container on a Docker network: its default route leaves through eth0
    'ip': 'if [ "$*" = "-o -4 route show default" ]; then echo "default via 172.30.0.1 dev eth0"; fi',
    'wg': 'if [ "$1" = show ]; then echo hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=; fi',
    'wireguard-go': 'exit 1',
}


@pytest.fixture
def entrypoint(tmp_path):
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    for name, body in STUBS.items():
        path = bin_dir / name
        path.write_text(STUB % body)
        path.chmod(stat.S_IRWXU)
    conf = tmp_path / 'wg0.conf'
    conf.write_text('[Interface]\n')
    calls = tmp_path / 'calls'

    def run(**env):
        full = dict(os.environ, PATH='%s:%s' % (bin_dir, os.environ['PATH']), CALLS=str(calls),
                    VPN_CONFIG=str(conf), VPN_ADDRESS='10.220.0.1/14', VPN_RUN_DIR=str(tmp_path / 'run'),
                    VPN_SOCKET_DIR=str(tmp_path / 'sock'), VPN_IMPLEMENTATION='kernel')
        full.update(env)
        proc = subprocess.run(['bash', ENTRYPOINT, 'true'], env=full, capture_output=True, text=True, timeout=30,
                              check=False)
        lines = calls.read_text().splitlines() if calls.exists() else []
        return proc, lines
    return run


def first(lines, prefix):
    return next(i for i, line in enumerate(lines) if line.startswith(prefix))


def test_forward_policy_and_rules_exist_before_wg0(entrypoint):
    proc, calls = entrypoint(VPN_FORWARD_POLICY='drop',
                             VPN_FORWARD_ALLOW='10.221.0.0/16>10.222.0.0/16:tcp/50051 10.220.0.0/16>10.220.0.0/14 '
                                               '10.221.0.7/32>10.222.0.2/32:udp/53')
    assert proc.returncode == 0, proc.stderr
    created, up = first(calls, 'ip link add wg0'), first(calls, 'ip link set dev wg0')
    policy = calls.index('iptables -P FORWARD DROP')
    rules = [i for i, line in enumerate(calls) if line.startswith('iptables -A FORWARD -i wg0')]
    assert len(rules) == 3 and policy < min(rules) and max(rules) < created < up
    # no output interface: a local peer (VPN_LINK=local) is reached through the uplink
    assert 'iptables -A FORWARD -i wg0 -s 10.221.0.0/16 -d 10.222.0.0/16 -p tcp --dport 50051 -j ACCEPT' in calls


def test_a_local_peer_is_routed_through_the_uplink_once_the_firewall_exists(entrypoint):
    proc, calls = entrypoint(VPN_FORWARD_POLICY='drop', VPN_FORWARD_ALLOW='10.221.0.0/16>10.222.0.0/16:tcp/50051',
                             VPN_LOCAL_PEERS='10.222.0.2')
    assert proc.returncode == 0, proc.stderr
    route = calls.index('ip -4 route replace 10.222.0.2/32 dev eth0')
    assert calls.index('iptables -P FORWARD DROP') < route and first(calls, 'ip link set dev wg0') < route
    # drop: nothing from the uplink is forwarded but replies
    assert not [line for line in calls if line.startswith('iptables -A FORWARD -i eth0')]


def test_peer_to_peer_lets_a_local_peer_reach_the_vpn_and_nothing_else(entrypoint):
    proc, calls = entrypoint(VPN_FORWARD_POLICY='accept', VPN_LOCAL_PEERS='10.222.0.2')
    assert proc.returncode == 0, proc.stderr
    assert 'iptables -A FORWARD -i wg0 -d 10.220.0.1/14 -j ACCEPT' in calls
    assert [line for line in calls if line.startswith('iptables -A FORWARD -i eth0')] == [
        'iptables -A FORWARD -i eth0 -s 10.222.0.2/32 -d 10.220.0.1/14 -j ACCEPT']


def test_a_malformed_local_peer_keeps_wg0_down(entrypoint):
    proc, calls = entrypoint(VPN_FORWARD_POLICY='drop', VPN_LOCAL_PEERS='10.222.0.2/32')
    assert proc.returncode != 0 and '10.222.0.2/32' in proc.stderr
    assert not [line for line in calls if line.startswith('ip link')]


def test_a_local_link_puts_the_address_on_the_uplink_behind_the_input_policy(entrypoint, tmp_path):
    proc, calls = entrypoint(VPN_LINK='local', VPN_ADDRESS='10.222.0.2/14', VPN_INPUT_POLICY='drop',
                             VPN_INPUT_ALLOW='tcp/50051', VPN_CONFIG=str(tmp_path / 'none'))
    assert proc.returncode == 0, proc.stderr
    assert calls[-1] == 'ip -4 address add 10.222.0.2/14 dev eth0'
    assert [line for line in calls if line.startswith('iptables -A INPUT')] == [
        'iptables -A INPUT -i eth0 -s 10.222.0.2/14 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
        'iptables -A INPUT -i eth0 -s 10.222.0.2/14 -p tcp --dport 50051 -j ACCEPT',
        'iptables -A INPUT -i eth0 -s 10.222.0.2/14 -j DROP']
    assert not [line for line in calls if line.startswith(('wg ', 'wireguard-go', 'ip link'))]
    run = tmp_path / 'run'
    assert (run / 'implementation').read_text().strip() == 'local'
    assert (run / 'steps').read_text().split() == ['input-firewall', 'local-up']


def test_an_unknown_link_is_refused(entrypoint):
    proc, calls = entrypoint(VPN_LINK='bridge')
    assert proc.returncode != 0 and 'VPN_LINK' in proc.stderr and calls == []


def test_the_start_order_is_recorded_for_the_rig(entrypoint, tmp_path):
    proc, _calls = entrypoint(VPN_FORWARD_POLICY='drop', VPN_FORWARD_ALLOW='')
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / 'run' / 'steps').read_text().split() == ['forward-firewall', 'wg0-up']


def test_input_policy_exists_before_wg0(entrypoint):
    proc, calls = entrypoint(VPN_INPUT_POLICY='drop', VPN_INPUT_ALLOW='tcp/50051')
    assert proc.returncode == 0, proc.stderr
    assert calls.index('iptables -A INPUT -i wg0 -j DROP') < first(calls, 'ip link add wg0')


@pytest.mark.parametrize('rule', ['10.221.0.0/16', '10.221.0.0/16>', '>10.221.0.0/16', '10.221.0.0/16>10.222.0.0/16:tcp',
                                  '10.221.0.0/16>10.222.0.0/16:icmp/1', 'any>10.222.0.0/16'])
def test_a_malformed_forward_rule_keeps_forwarding_closed_and_wg0_down(entrypoint, rule):
    proc, calls = entrypoint(VPN_FORWARD_POLICY='accept', VPN_FORWARD_ALLOW='10.221.0.0/16>10.222.0.0/16 ' + rule)
    assert proc.returncode != 0 and rule in proc.stderr
    assert 'iptables -P FORWARD DROP' in calls
    assert 'iptables -A FORWARD -i wg0 -o wg0 -j ACCEPT' not in calls
    assert not [line for line in calls if line.startswith('ip ')]


def test_a_malformed_input_rule_keeps_wg0_down(entrypoint):
    proc, calls = entrypoint(VPN_INPUT_POLICY='drop', VPN_INPUT_ALLOW='50051')
    assert proc.returncode != 0 and not [line for line in calls if line.startswith('ip ')]
