"""inventories/example is valid as shipped, once its one secret is in the vault file its
comments describe: a copy of it gets group_vars/all/vault.yml, encrypted by ansible-vault
with a password file written here, and the real validate.yml, called by its FQCN from a
project directory of its own (neither the checkout nor the inventory), validates every host.

The example's hosts (example.org) cannot be reached: their SSH is made to fail at once
(-o ProxyCommand=false, without resolving a name), nothing else is overridden. validate.yml
reads each host's Docker networks and ignores a host it cannot reach (nothing to compare);
the whole inventory is then checked on the controller with the example's own variables,
its relative plan path included (plans/lung_model.py, from the inventory directory).
"""
import os
import re
import shutil
import subprocess
import sys

import yaml

from local_playbooks import PLAYBOOK_BIN, ROOT

EXAMPLE = os.path.join(ROOT, 'inventories', 'example')
VAULT_BIN = os.path.join(os.path.dirname(sys.executable), 'ansible-vault')
SECRETS = 'vault_hospital_b_gui_password: example-gui-password-1\n'


def hosts_of(group):
    """Every host a YAML inventory group declares, its children's included."""
    hosts = set((group or {}).get('hosts') or {})
    for child in ((group or {}).get('children') or {}).values():
        hosts |= hosts_of(child)
    return hosts


def test_the_example_inventory_validates(tmp_path):
    inventory = tmp_path / 'example'
    shutil.copytree(EXAMPLE, str(inventory))
    password_file = tmp_path / 'vault-password'
    password_file.write_text('a test vault password\n')
    vault = inventory / 'group_vars' / 'all' / 'vault.yml'
    vault.write_text(SECRETS)
    subprocess.run([VAULT_BIN, 'encrypt', '--vault-password-file', str(password_file), str(vault)],
                   check=True, capture_output=True, text=True, timeout=60)
    assert vault.read_text().startswith('$ANSIBLE_VAULT;')
    project = tmp_path / 'project'
    project.mkdir()

    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), ANSIBLE_NOCOLOR='1',
               ANSIBLE_FORCE_COLOR='0', ANSIBLE_LOCALHOST_WARNING='0')
    proc = subprocess.run(
        [PLAYBOOK_BIN, '-i', str(inventory / 'hosts.yml'), 'federated.vpn.validate',
         '--vault-password-file', str(password_file), '-e', "ansible_ssh_common_args='-o ProxyCommand=false'"],
        cwd=str(project), env=env, capture_output=True, text=True, timeout=300, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    recorded = proc.stdout.partition('TASK [federated.vpn.vpnserver : Record that the inventory is valid]')[2]
    assert 'ok: [vpn.research.example.org]' in recorded.partition('TASK [')[0], out[-3000:]
    assert 'Unable to parse' not in out, out[-3000:]

    with open(os.path.join(EXAMPLE, 'hosts.yml')) as handle:
        declared = hosts_of(yaml.safe_load(handle)['all'])
    recap = dict((host, (int(failed), int(changed))) for host, changed, failed in re.findall(
        r'^(\S+)\s+: ok=\d+\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)', proc.stdout, re.MULTILINE))
    assert len(declared) == 3 and set(recap) == declared, (declared, recap)
    assert all(result == (0, 0) for result in recap.values()), recap
