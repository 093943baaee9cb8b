"""A command run in a container that is not running fails saying which container, its
state and how its log ends (federated.vpn.container_exec), not with a Jinja error about a
missing rc: here a real container on this machine's engine that exits at once, as a tunnel
container does when its endpoint does not resolve, kept restarting by its policy."""
import os
import re
import sys
import uuid

from local_playbooks import run_playbook

IMAGE = os.environ.get('BASE_IMAGE', 'local/debian:bookworm')
PLAYBOOK = '''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Run a container that fails at once
      federated.vpn.container:
        name: "{{ fvpn_name }}"
        image: "{{ fvpn_image }}"
        command: [sh, -c, "echo 'Name or service not known: vpn-server.invalid:51820' >&2; exit 1"]

    - name: Let it fail and restart
      ansible.builtin.pause:
        seconds: 3

    - name: Check the tunnel the way the roles do
      block:
        - name: Ping through it
          federated.vpn.container_exec:
            container: "{{ fvpn_name }}"
            argv: [ping, -c, "1", 10.220.0.1]
          register: ping
          until: ping.rc | default(-1) == 0 or not ping.container_running | default(true)
          retries: 30
          delay: 1
      always:
        - name: Remove the container
          federated.vpn.container:
            name: "{{ fvpn_name }}"
            state: absent
            force_kill: true
'''


def test_a_command_in_a_stopped_container_names_its_state_and_log(tmp_path):
    name = 'fvpn-test-%s' % uuid.uuid4().hex[:8]
    playbook = tmp_path / 'playbook.yml'
    playbook.write_text(PLAYBOOK)
    inventory = {'all': {'hosts': {'localhost': {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}}}
    proc = run_playbook(inventory, str(tmp_path / 'hosts.json'), str(playbook),
                        ['-e', 'fvpn_name=%s' % name, '-e', 'fvpn_image=%s' % IMAGE])
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out[-3000:]
    # Docker shows a crashing container restarting, or running between two crashes
    assert re.search(r'container %s (is restarting \(last exit code 1|keeps restarting \(restarted)' % name, out), out[-3000:]
    assert "its log ends: Name or service not known: vpn-server.invalid:51820" in out, out[-3000:]
    # it failed at once instead of waiting for a container that will not run
    assert 'FAILED - RETRYING' not in out, out[-3000:]
    assert "has no attribute 'rc'" not in out
    assert 'TASK [Remove the container]' in out
