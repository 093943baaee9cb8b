"""Running the collection's real playbooks on this machine, for the integration tests: an
inventory whose hosts use the local connection and keep every state directory under a
temporary directory, and ansible-playbook run on it."""
import json
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
PLAYBOOK_BIN = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
STATE_VARS = ('vpnserver_state_dir', 'vpnclient_state_dir', 'node_state_dir', 'researcher_state_dir')


def local_inventory(tmp, nodes):
    """A valid inventory: the server is also the researcher; nodes: {host: hostvars}."""
    state = dict((var, os.path.join(tmp, 'state', var)) for var in STATE_VARS)
    return {'all': {
        'vars': dict(state, ansible_connection='local', ansible_python_interpreter=sys.executable,
                     vpnserver_endpoint='192.0.2.10', container_host_image_source='local'),
        'children': {
            'vpnserver': {'hosts': {'server': {}}},
            'researcher': {'hosts': {'server': {}}},
            'nodes': {'hosts': nodes},
        }}}


def run_playbook(inventory, path, playbook, args=(), env=None):
    """Write inventory to path and run playbook (a name under playbooks/, or a path) on it."""
    with open(path, 'w') as handle:
        json.dump(inventory, handle)
    full_env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), ANSIBLE_NOCOLOR='1',
                    ANSIBLE_FORCE_COLOR='0', ANSIBLE_LOCALHOST_WARNING='0')
    full_env.update(env or {})
    if not os.path.isabs(playbook):
        playbook = os.path.join(ROOT, 'playbooks', playbook)
    return subprocess.run([PLAYBOOK_BIN, '-i', path, playbook] + list(args),
                          cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=300, check=False)
