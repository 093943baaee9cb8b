#!/usr/bin/env python
"""How wg_peer's cost grows with the number of registered peers.

Runs the module the way Ansible does (a new Python process per call, arguments in a
file) against a server state directory holding SMALL and then LARGE peers, and prints,
for a no-op re-run of the whole inventory and for adding one peer, the median time and
the ratio LARGE/SMALL. Nothing here asserts a time: read the ratios.

    python benchmarks/wg_peer_scaling.py [--small 10] [--large 1000] [--repeat 5]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
sys.path.insert(0, os.path.join(ROOT, '.collections'))

from ansible_collections.federated.vpn.plugins.module_utils import wireguard as wg  # noqa: E402

SETTINGS = {
    'network': '10.220.0.0/14', 'address': '10.220.0.1', 'port': 51820, 'endpoint': '192.0.2.2:51820',
    'pools': {'management': '10.220.0.0/16', 'node': '10.221.0.0/16', 'researcher': '10.222.0.0/16'},
}


def run_module(args):
    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as handle:
        json.dump({'ANSIBLE_MODULE_ARGS': args}, handle)
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, '.collections'))
    start = time.perf_counter()
    out = subprocess.run([sys.executable, '-m', 'ansible_collections.federated.vpn.plugins.modules.wg_peer',
                          handle.name], capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    os.unlink(handle.name)
    result = json.loads(out.stdout)
    if result.get('failed'):
        raise SystemExit('wg_peer failed: %s' % result.get('msg'))
    return elapsed, result


def state_with(count, base):
    state_dir = tempfile.mkdtemp(prefix='wgbench-', dir=base)
    wg.atomic_write(os.path.join(state_dir, 'settings.json'), json.dumps(SETTINGS))
    wg.atomic_write(os.path.join(state_dir, 'server.key'), wg.generate_private_key() + '\n')
    peers = [dict(name='node-%04d' % i, type='node', public_key=wg.public_key(wg.generate_private_key()))
             for i in range(count)]
    run_module(dict(state_dir=state_dir, peers=peers, exclusive=True))
    return state_dir, peers


def measure(count, repeat, base):
    state_dir, peers = state_with(count, base)
    noop = []
    for dummy in range(repeat):
        elapsed, result = run_module(dict(state_dir=state_dir, peers=peers, exclusive=True))
        assert not result['changed']
        noop.append(elapsed)
    add = []
    for i in range(repeat):
        extra = dict(name='new-%d' % i, type='node', public_key=wg.public_key(wg.generate_private_key()))
        elapsed, result = run_module(dict(state_dir=state_dir, peers=peers + [extra], exclusive=True))
        assert result['changed']
        add.append(elapsed)
        run_module(dict(state_dir=state_dir, name=extra['name'], state='absent'))
    return statistics.median(noop), statistics.median(add)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--small', type=int, default=10)
    parser.add_argument('--large', type=int, default=1000)
    parser.add_argument('--repeat', type=int, default=5)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as base:
        small = measure(opts.small, opts.repeat, base)
        large = measure(opts.large, opts.repeat, base)
    print('wg_peer, one process per call (as Ansible runs it), median of %d:' % opts.repeat)
    print('%-28s %10s %10s %8s' % ('', '%d peers' % opts.small, '%d peers' % opts.large, 'ratio'))
    for label, a, b in (('no-op re-run of all peers', small[0], large[0]), ('add one peer', small[1], large[1])):
        print('%-28s %9.3fs %9.3fs %7.2fx' % (label, a, b, b / a))
    print('(peers x%d; a ratio well under that means the fixed cost dominates)' % (opts.large // opts.small))


if __name__ == '__main__':
    main()
