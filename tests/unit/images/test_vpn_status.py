"""images/wireguard/vpn-status with a stub wg: the live interface as JSON, every peer with
its handshake and transfer, and neither the private key nor any pre-shared key."""
import json
import os
import stat
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
STATUS = os.path.join(ROOT, 'images', 'wireguard', 'vpn-status')
PRIVATE = 'dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo='
PUBLIC = 'hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo='
PSK = 'c2VjcmV0LXByZS1zaGFyZWQta2V5LTMyLWJ5dGVzISE='


def run(tmp_path, dump, args=(), ping_rc=0, expect_rc=0):
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    (bin_dir / 'wg').write_text('#!/bin/sh\nprintf "%s"\n' % dump.replace('\t', '\\t').replace('\n', '\\n'))
    # a stub ping that records its arguments and answers ping_rc
    (bin_dir / 'ping').write_text('#!/bin/sh\necho "$@" >>%s\nexit %d\n' % (tmp_path / 'pings', ping_rc))
    for tool in ('wg', 'ping'):
        (bin_dir / tool).chmod(stat.S_IRWXU)
    env = dict(os.environ, PATH='%s:%s' % (bin_dir, os.environ['PATH']), VPN_RUN_DIR=str(tmp_path / 'run'))
    done = subprocess.run(['bash', STATUS] + list(args), env=env, capture_output=True, text=True, timeout=30,
                          check=False)
    assert done.returncode == expect_rc, done.stderr
    return done.stdout


def test_every_peer_and_no_secret(tmp_path):
    dump = '\t'.join([PRIVATE, PUBLIC, '51820', 'off']) + '\n' + '\n'.join([
        '\t'.join(['K1=', PSK, '192.0.2.7:40000', '10.221.0.2/32', '990', '2048', '1024', '25']),
        '\t'.join(['K2=', '(none)', '(none)', '10.222.0.2/32', '0', '0', '0', 'off'])]) + '\n'
    out = run(tmp_path, dump)
    assert PRIVATE not in out and PSK not in out
    status = json.loads(out)
    assert status['public_key'] == PUBLIC and status['listen_port'] == 51820 and status['latest_handshake'] == 990
    # no run directory: the entrypoint did not record which implementation runs
    assert status['implementation'] == 'unknown' and status['implementation_version'] == 'unknown'
    assert status['peers'] == [
        {'public_key': 'K1=', 'endpoint': '192.0.2.7:40000', 'allowed_ips': '10.221.0.2/32', 'latest_handshake': 990,
         'transfer_rx': 2048, 'transfer_tx': 1024},
        {'public_key': 'K2=', 'endpoint': '(none)', 'allowed_ips': '10.222.0.2/32', 'latest_handshake': 0,
         'transfer_rx': 0, 'transfer_tx': 0}]


def test_no_peer_yet(tmp_path):
    status = json.loads(run(tmp_path, '\t'.join([PRIVATE, PUBLIC, '41000', 'off']) + '\n'))
    assert status['peers'] == [] and status['latest_handshake'] == 0


DUMP = '\t'.join([PRIVATE, PUBLIC, '41000', 'off']) + '\n' + '\t'.join(
    ['K1=', '(none)', '192.0.2.7:51820', '10.220.0.0/14', '990', '10', '20', '25']) + '\n'


def test_reach_pings_the_address_through_wg0_then_reports(tmp_path):
    status = json.loads(run(tmp_path, DUMP, ['--reach', '10.220.0.1', '--within', '5']))
    assert status['latest_handshake'] == 990
    assert (tmp_path / 'pings').read_text().split('\n')[0] == '-c 1 -W 2 -I wg0 10.220.0.1'


def test_reach_gives_up_after_the_given_seconds(tmp_path):
    out = run(tmp_path, DUMP, ['--reach', '10.220.0.1', '--within', '0'], ping_rc=1, expect_rc=3)
    assert json.loads(out) == {'reached': False, 'address': '10.220.0.1', 'seconds': 0}


def test_a_local_link_reports_reaching_the_server_without_wg0(tmp_path):
    (tmp_path / 'run').mkdir()
    (tmp_path / 'run' / 'implementation').write_text('local\n')
    (tmp_path / 'run' / 'implementation_version').write_text('eth0\n')
    status = json.loads(run(tmp_path, 'wg must not be read', ['--reach', '10.220.0.1', '--within', '5']))
    assert status['link'] == 'local' and status['reached'] is True and status['implementation'] == 'local'
    # the route decides: no -I wg0
    assert (tmp_path / 'pings').read_text().split() == ['-c', '1', '-W', '2', '10.220.0.1']
