#!/usr/bin/env python
"""How a re-run's time grows with the federation: playbooks/vpn.yml for SMALL and LARGE
node hosts.

Every host is this machine, reached with the local connection (the setting of the demo's
inventory; the SSH rig's machines are too heavy to start twenty of): one VPN server, one
researcher host and N node hosts, each node host with one tunnel-only container. For each
N it times the first deploy, no-op re-runs (changed=0 checked, not timed alone) and adding
one node host with --limit server,new; then prints the medians and the ratios LARGE/SMALL.
Nothing is asserted: read the ratios. Everything is named fvpn-bench-scale-* (containers, state
under a temporary directory) and removed at the end; the wireguard image is built first
if this machine does not have it (playbooks/build_images.yml).

    python benchmarks/scaling.py [--small 2] [--large 20] [--repeat 3] [--forks 10]
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
PLAYBOOK = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
PREFIX = 'fvpn-bench-scale-'
LOG_DIR = None
IMAGES_TAG = '0.1.0'


def this_machine_address():
    route = subprocess.run(['ip', '-4', 'route', 'get', '1.1.1.1'], capture_output=True, text=True, check=True)
    return re.search(r'src (\S+)', route.stdout).group(1)


def inventory(state, nodes, endpoint):
    def node(index):
        return 'n%02d' % index
    return {'all': {
        'vars': {
            'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable,
            'container_host_image_source': 'local', 'container_host_install_packages': False,
            'container_host_images_tag': IMAGES_TAG,
            'federation_name': 'fvpnbench', 'vpnserver_endpoint': endpoint, 'vpnserver_port': 51899,
            'vpnserver_container_name': PREFIX + 'vpnserver', 'vpnclient_container_prefix': PREFIX + 'vpn-',
            'vpnserver_state_dir': os.path.join(state, 'server'), 'vpnclient_state_dir': os.path.join(state, 'client'),
            'node_state_dir': os.path.join(state, 'node'), 'researcher_state_dir': os.path.join(state, 'researcher'),
        },
        'children': {
            'vpnserver': {'hosts': {'server': {}}},
            'researcher': {'hosts': {'research': {}}},
            'nodes': {'hosts': dict((node(i), {'node_instances': [{'name': PREFIX + node(i)}]})
                                    for i in range(1, nodes + 1))},
        }}}


def run(path, playbook, forks, limit=None):
    """(seconds, changed per host) of one ansible-playbook run; fails loudly."""
    args = [PLAYBOOK, '-i', path, os.path.join(ROOT, 'playbooks', playbook), '--forks', str(forks)]
    if limit:
        args += ['--limit', limit]
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), ANSIBLE_NOCOLOR='1',
               PROFILE_TASKS_TASK_OUTPUT_LIMIT='all')
    start = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit('%s failed:\n%s' % (' '.join(args[3:]), done.stdout[-4000:] + done.stderr[-2000:]))
    changed = dict(re.findall(r'^(\S+)\s+: ok=\d+\s+changed=(\d+)', done.stdout, re.MULTILINE))
    if LOG_DIR:
        # profile_tasks' recap (ansible.cfg) at the end says where the time went
        name = '%s-%s%s.log' % (os.path.basename(path).rsplit('.', 1)[0], playbook, '-limit' if limit else '')
        with open(os.path.join(LOG_DIR, name), 'w') as handle:
            handle.write(done.stdout)
    return elapsed, dict((host, int(count)) for host, count in changed.items())


def measure(tmp, nodes, repeat, forks, endpoint):
    state = os.path.join(tmp, 'state-%d' % nodes)
    path = os.path.join(tmp, 'hosts-%d.json' % nodes)
    with open(path, 'w') as handle:
        json.dump(inventory(state, nodes, endpoint), handle)
    out = {}
    try:
        out['first deploy'] = run(path, 'vpn.yml', forks)[0]
        reruns = []
        for dummy in range(repeat):
            seconds, changed = run(path, 'vpn.yml', forks)
            if any(changed.values()):
                sys.exit('the re-run with %d nodes changed something: %s' % (nodes, changed))
            reruns.append(seconds)
        out['no-op re-run'] = statistics.median(reruns)
        with open(path, 'w') as handle:
            json.dump(inventory(state, nodes + 1, endpoint), handle)
        out['add one node (--limit server,new)'] = run(path, 'vpn.yml', forks, limit='server,n%02d' % (nodes + 1))[0]
    finally:
        # also after a failure: nothing of the benchmark stays on the machine
        subprocess.run([PLAYBOOK, '-i', path, os.path.join(ROOT, 'playbooks', 'clean.yml'), '-e', 'level=configuration',
                        '-e', 'purge_data=true', '-e', 'confirm=false'], cwd=ROOT, capture_output=True, check=False,
                       env=dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg')))
        shutil.rmtree(state, ignore_errors=True)
    return out


def ensure_image():
    image = 'federated-vpn/wireguard:%s' % IMAGES_TAG
    check = subprocess.run([sys.executable, '-c', 'import docker; docker.from_env().images.get("%s")' % image],
                           capture_output=True, check=False)
    if check.returncode != 0:
        print('building %s (playbooks/build_images.yml)' % image, file=sys.stderr)
        subprocess.run([PLAYBOOK, os.path.join(ROOT, 'playbooks', 'build_images.yml'), '-e',
                        json.dumps({'container_host_publish_images': ['wireguard'], 'container_host_images_tag': IMAGES_TAG})],
                       cwd=ROOT, check=True, env=dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg')))


def main():
    global LOG_DIR, IMAGES_TAG
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--small', type=int, default=2)
    parser.add_argument('--large', type=int, default=20)
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--forks', type=int, default=10)
    parser.add_argument('--log-dir', help='keep the output of each run (with its task times) here')
    parser.add_argument('--images-tag', default=IMAGES_TAG, help='the tag of the wireguard image to run (built if missing)')
    opts = parser.parse_args()
    LOG_DIR, IMAGES_TAG = opts.log_dir, opts.images_tag
    if LOG_DIR:
        os.makedirs(LOG_DIR, exist_ok=True)
    ensure_image()
    endpoint = this_machine_address()
    tmp = tempfile.mkdtemp(prefix=PREFIX)
    try:
        results = dict((n, measure(tmp, n, opts.repeat, opts.forks, endpoint)) for n in (opts.small, opts.large))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print('\nplaybooks/vpn.yml, local connection, forks %d (seconds; re-run: median of %d)'
          % (opts.forks, opts.repeat))
    print('%-36s %10s %10s %8s' % ('', 'N=%d' % opts.small, 'N=%d' % opts.large, 'ratio'))
    for what in results[opts.small]:
        small, large = results[opts.small][what], results[opts.large][what]
        print('%-36s %10.1f %10.1f %8.2f' % (what, small, large, large / small))


if __name__ == '__main__':
    main()
