"""backup_file is a path given on the command line: relative, it is taken from the current
directory, the same for backup.yml (which writes it) and restore.yml's tasks (which check
it, then unpack it; unarchive alone would look in the role's and the playbook's directories
and never in the current one). Run from a directory of its own, neither the checkout nor
the inventory's."""
import json
import os
import subprocess

from local_playbooks import PLAYBOOK_BIN, ROOT, local_inventory
from test_backup_restore import RESTORE_TASKS, server_files, write_state


def test_a_relative_backup_file_is_from_the_current_directory(tmp_path):
    inventory = local_inventory(str(tmp_path), {'h1': {'node_instances': [{'name': 'h1-a'}]}})
    inventory_file = tmp_path / 'inventory' / 'hosts.json'
    inventory_file.parent.mkdir()
    state_dir = inventory['all']['vars']['vpnserver_state_dir']
    files = server_files()
    write_state(state_dir, files)
    work = tmp_path / 'work'
    work.mkdir()
    env = dict((k, v) for k, v in os.environ.items() if k != 'ANSIBLE_VAULT_PASSWORD_FILE')
    env.update(ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0')

    def run(playbook):
        inventory_file.write_text(json.dumps(inventory))
        return subprocess.run([PLAYBOOK_BIN, '-i', str(inventory_file), playbook, '-e', 'backup_file=backups/b.tar.gz',
                               '-e', 'backup_encrypt=false'],
                              cwd=str(work), env=env, capture_output=True, text=True, timeout=300, check=False)

    backup = run(os.path.join(ROOT, 'playbooks', 'backup.yml'))
    assert backup.returncode == 0, backup.stdout[-3000:]
    assert (work / 'backups' / 'b.tar.gz').is_file()

    restored = tmp_path / 'restored'
    inventory['all']['vars']['vpnserver_state_dir'] = str(restored)
    playbook = tmp_path / 'restore_tasks.yml'
    playbook.write_text(RESTORE_TASKS)
    restore = run(str(playbook))
    assert restore.returncode == 0, restore.stdout[-3000:]
    # the key and the registry as they were (wg0.conf is left to the role, settings.json is the inventory's)
    assert dict((n, (restored / n).read_bytes()) for n in ('server.key', 'peers.json')) == dict(
        (n, files[n]) for n in ('server.key', 'peers.json'))
