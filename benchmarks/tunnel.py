#!/usr/bin/env python
"""How fast a model update crosses the tunnel: TCP throughput node -> researcher.

Builds the collection's WireGuard image twice from images/wireguard - with the pinned
wireguard-go it ships and with Debian 12's - and, for each, starts on this machine's
Docker engine the containers the roles start, with the same entrypoint, MTU and firewall
(the server forwards node -> researcher:PORT only, the researcher accepts PORT only):

  path      node -> VPN server -> researcher: two WireGuard hops (a researcher on
            another machine than the VPN server)
  local     node -> VPN server -> researcher beside it on a local link (VPN_LINK=local,
            the default when the researcher runs on the VPN server's machine): one hop
  one hop   node -> a listener in the VPN server's own namespace: one WireGuard hop
  raw       node -> researcher over the Docker bridge, no tunnel

iperf3 runs in a side container that shares the measured container's network namespace,
with 1 and 4 streams. Every case runs --runs times, interleaved so a noisy machine slows
them alike; the medians and their ratios are printed, then the MTU check (a 1392-byte ping
with DF passes wg0, 1393 does not). Nothing is asserted: read the ratios. Everything it
starts is named fvpn-bench-tunnel-* and removed at the end.

    python benchmarks/tunnel.py [--seconds 5] [--runs 3] [--port 50051]
"""
import argparse
import base64
import io
import json
import os
import statistics
import sys
import tarfile
import tempfile
import time

import docker
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
PREFIX = 'fvpn-bench-tunnel-'
BASE_IMAGE = os.environ.get('BASE_IMAGE', 'local/debian:bookworm')
# (label, build arguments): what ships, and Debian 12's own wireguard-go
VARIANTS = [
    ('shipped', {}),
    ('debian12', {'WIREGUARD_GO_SUITE': 'bookworm', 'WIREGUARD_GO_VERSION': '0.0.20220316-1+b4'}),
]
SUBNET, GATEWAY = '10.250.77.0/24', '10.250.77.1'
UNDERLAY = {'server': '10.250.77.10', 'node': '10.250.77.11', 'researcher': '10.250.77.12', 'local': '10.250.77.13'}
VPN = {'server': '10.220.0.1', 'node': '10.221.0.2', 'researcher': '10.222.0.2', 'local': '10.222.0.3'}
TUNNELLED = ('server', 'node', 'researcher')
NETWORK, NODE_POOL, RESEARCHER_POOL = '10.220.0.0/14', '10.221.0.0/16', '10.222.0.0/16'
WG_PORT, MTU = 51820, 1420


def keypair():
    private = X25519PrivateKey.generate()
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode(), base64.b64encode(public).decode()


def configs():
    """wg(8) configs as the roles render them: a hub and two spokes."""
    keys = dict((name, keypair()) for name in TUNNELLED)
    server = '[Interface]\nPrivateKey = %s\nListenPort = %d\n' % (keys['server'][0], WG_PORT)
    for name in ('node', 'researcher'):
        server += '\n[Peer]\nPublicKey = %s\nAllowedIPs = %s/32\n' % (keys[name][1], VPN[name])
    out = {'server': server}
    for name in ('node', 'researcher'):
        out[name] = ('[Interface]\nPrivateKey = %s\n\n[Peer]\nPublicKey = %s\nEndpoint = %s:%d\n'
                     'AllowedIPs = %s\nPersistentKeepalive = 25\n'
                     % (keys[name][0], keys['server'][1], UNDERLAY['server'], WG_PORT, NETWORK))
    return out


def build(client, tag, buildargs, dockerfile=None, context=None):
    print('building %s' % tag, file=sys.stderr)
    args = dict(buildargs, BASE_IMAGE=BASE_IMAGE)
    client.images.build(path=context or os.path.join(ROOT, 'images', 'wireguard'), tag=tag, buildargs=args,
                        dockerfile=dockerfile, rm=True)


def iperf_image(client):
    tag = PREFIX + 'iperf3:latest'
    dockerfile = ('FROM %s\nRUN apt-get update && apt-get install -y --no-install-recommends iperf3 iputils-ping'
                  ' && rm -rf /var/lib/apt/lists/*\n' % BASE_IMAGE)
    with tempfile.TemporaryDirectory() as context:
        with open(os.path.join(context, 'Dockerfile'), 'w') as handle:
            handle.write(dockerfile)
        build(client, tag, {}, context=context)
    return tag


def put_file(container, path, text):
    data = text.encode()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w') as tar:
        info = tarfile.TarInfo(os.path.basename(path))
        info.size, info.mode = len(data), 0o600
        tar.addfile(info, io.BytesIO(data))
    container.put_archive(os.path.dirname(path), buf.getvalue())


def start_tunnels(client, image, network, port):
    """The server, node and researcher tunnel containers and the researcher on a local
    link, up, with handshakes."""
    conf = configs()
    env = {
        'server': {'VPN_ADDRESS': VPN['server'] + '/14', 'VPN_FORWARD_POLICY': 'drop',
                   'VPN_FORWARD_ALLOW': '%s>%s:tcp/%d %s' % (NODE_POOL, RESEARCHER_POOL, port,
                                                             NODE_POOL + '>' + VPN['server'] + '/32'),
                   'VPN_LOCAL_PEERS': VPN['local']},
        'node': {'VPN_ADDRESS': VPN['node'] + '/14', 'VPN_INPUT_POLICY': 'drop'},
        'researcher': {'VPN_ADDRESS': VPN['researcher'] + '/14', 'VPN_INPUT_POLICY': 'drop',
                       'VPN_INPUT_ALLOW': 'tcp/%d' % port},
        'local': {'VPN_ADDRESS': VPN['local'] + '/14', 'VPN_LINK': 'local', 'VPN_INPUT_POLICY': 'drop',
                  'VPN_INPUT_ALLOW': 'tcp/%d' % port},
    }
    sysctls = {'server': {'net.ipv4.ip_forward': '1', 'net.ipv4.conf.all.proxy_arp': '1'}}
    containers = {}
    for name in ('server', 'node', 'researcher', 'local'):
        container = client.containers.create(
            image, name=PREFIX + name, environment=dict(env[name], VPN_MTU=str(MTU), VPN_IMPLEMENTATION='wireguard-go'),
            cap_add=['NET_ADMIN'], devices=['/dev/net/tun:/dev/net/tun:rwm'] if name in TUNNELLED else None,
            sysctls=sysctls.get(name), network=network.name)
        network.disconnect(container)
        network.connect(container, ipv4_address=UNDERLAY[name])
        if name in TUNNELLED:
            put_file(container, '/etc/wireguard/wg0.conf', conf[name])
        container.start()
        containers[name] = container
    for name, container in containers.items():
        for dummy in range(100):
            code, out = container.exec_run(['cat', '/run/vpn/steps'])
            if code == 0 and (b'wg0-up' in out or b'local-up' in out):
                break
            container.reload()
            if container.status != 'running':
                raise RuntimeError('%s stopped: %s' % (name, container.logs()[-500:].decode(errors='replace')))
            time.sleep(0.1)
    for name in ('node', 'researcher', 'local'):
        code, out = containers[name].exec_run(['ping', '-c', '3', '-W', '2', VPN['server']])
        if code != 0:
            raise RuntimeError('%s does not reach the VPN server: %s' % (name, out.decode(errors='replace')))
    return containers


def iperf(client, tool, server_ns, client_ns, address, port, seconds, streams):
    """Gbit/s received, iperf3 client in client_ns dialling address:port served in server_ns."""
    listener = client.containers.run(tool, ['iperf3', '-s', '-1', '-p', str(port)], name=PREFIX + 'iperf-s',
                                     network_mode='container:' + server_ns.id, detach=True)
    try:
        time.sleep(0.5)
        out = client.containers.run(tool, ['iperf3', '-c', address, '-p', str(port), '-t', str(seconds),
                                           '-P', str(streams), '-J'], name=PREFIX + 'iperf-c',
                                    network_mode='container:' + client_ns.id, remove=True)
        return json.loads(out)['end']['sum_received']['bits_per_second'] / 1e9
    finally:
        listener.remove(force=True)


def mtu_check(client, tool, node):
    """(1392 passes, 1393 refused) for a DF ping node -> server through wg0."""
    def ping(size):
        return client.containers.run(tool, ['sh', '-c', 'ping -c 1 -W 2 -M do -s %d -I wg0 %s >/dev/null 2>&1; echo $?'
                                            % (size, VPN['server'])],
                                     network_mode='container:' + node.id, remove=True).strip() == b'0'
    return ping(MTU - 28), not ping(MTU - 27)


def cleanup(client):
    for container in client.containers.list(all=True, filters={'name': PREFIX}):
        container.remove(force=True)
    for network in client.networks.list(names=[PREFIX + 'net']):
        network.remove()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--seconds', type=int, default=5)
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--port', type=int, default=50051)
    opts = parser.parse_args()
    client = docker.from_env()
    cleanup(client)
    tool = iperf_image(client)
    images = {}
    for label, buildargs in VARIANTS:
        images[label] = PREFIX + 'wireguard:' + label
        build(client, images[label], buildargs)
    results = {}
    mtu = {}
    network = client.networks.create(PREFIX + 'net', ipam=docker.types.IPAMConfig(
        pool_configs=[docker.types.IPAMPool(subnet=SUBNET, gateway=GATEWAY)]))
    try:
        for run in range(opts.runs):
            for label, _args in VARIANTS:
                tunnels = start_tunnels(client, images[label], network, opts.port)
                version = tunnels['node'].exec_run(['cat', '/run/vpn/implementation_version']).output.decode().strip()
                mtu[label] = mtu_check(client, tool, tunnels['node'])
                for streams in (1, 4):
                    cases = [('path', tunnels['researcher'], VPN['researcher']),
                             ('local', tunnels['local'], VPN['local']),
                             ('one hop', tunnels['server'], VPN['server']),
                             ('raw', tunnels['researcher'], UNDERLAY['researcher'])]
                    for case, listener, address in cases:
                        if case == 'raw' and label != VARIANTS[0][0]:
                            continue
                        gbps = iperf(client, tool, listener, tunnels['node'], address, opts.port, opts.seconds, streams)
                        key = ('%s %s' % (label, version) if case != 'raw' else 'no tunnel', case, streams)
                        results.setdefault(key, []).append(gbps)
                        print('run %d: %-34s %-8s %d stream(s): %.2f Gbit/s' % ((run + 1,) + key + (gbps,)),
                              file=sys.stderr)
                for container in tunnels.values():
                    container.remove(force=True)
    finally:
        cleanup(client)

    medians = dict((key, statistics.median(values)) for key, values in results.items())
    print('\nnode -> researcher, TCP, median of %d runs of %d s (Gbit/s)' % (opts.runs, opts.seconds))
    print('%-36s %-8s %10s %10s' % ('wireguard-go', 'case', '1 stream', '4 streams'))
    for label, case in sorted(set((k[0], k[1]) for k in medians)):
        print('%-36s %-8s %10.2f %10.2f' % (label, case, medians[(label, case, 1)], medians[(label, case, 4)]))
    shipped = [k for k in medians if k[0].startswith(VARIANTS[0][0])][0][0]
    debian12 = [k for k in medians if k[0].startswith(VARIANTS[1][0])][0][0]
    for streams in (1, 4):
        best_hop = max(medians[(shipped, 'one hop', streams)], medians[(debian12, 'one hop', streams)])
        print('%d stream(s): local link / fastest one hop = %.2f; two-hop path / fastest one hop = %.2f; '
              'shipped / Debian 12 on the path = %.2f; local / raw = %.3f'
              % (streams, medians[(shipped, 'local', streams)] / best_hop,
                 medians[(shipped, 'path', streams)] / best_hop,
                 medians[(shipped, 'path', streams)] / medians[(debian12, 'path', streams)],
                 medians[(shipped, 'local', streams)] / medians[('no tunnel', 'raw', streams)]))
    for label, (passes, refused) in mtu.items():
        print('MTU %s: a %d-byte DF ping through wg0 %s, %d bytes %s' % (
            label, MTU - 28, 'passes' if passes else 'FAILS', MTU - 27, 'is refused' if refused else 'PASSES'))


if __name__ == '__main__':
    main()
