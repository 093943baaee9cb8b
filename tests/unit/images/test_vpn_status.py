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


def run(tmp_path, dump):
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    (bin_dir / 'wg').write_text('#!/bin/sh\nprintf "%s"\n' % dump.replace('\t', '\\t').replace('\n', '\\n'))
    (bin_dir / 'wg').chmod(stat.S_IRWXU)
    env = dict(os.environ, PATH='%s:%s' % (bin_dir, os.environ['PATH']), VPN_RUN_DIR=str(tmp_path / 'run'))
    done = subprocess.run(['bash', STATUS], env=env, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, done.stderr
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
