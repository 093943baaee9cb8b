"""scripts/check-no-docker-cli.sh finds the docker or podman CLI wherever a task could run
it, and nothing else."""
import os
import subprocess

import pytest

GATE = os.path.join(os.path.dirname(__file__), '..', '..', 'scripts', 'check-no-docker-cli.sh')


def gate(tmp_path, path, text):
    for folder in ('roles', 'playbooks', 'molecule'):
        (tmp_path / folder).mkdir(exist_ok=True)
    (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / path).write_text(text)
    return subprocess.run(['bash', GATE, str(tmp_path)], capture_output=True, text=True, check=False)


@pytest.mark.parametrize('path, text', [
    ('roles/r/tasks/main.yml', '- ansible.builtin.shell: docker restart fbm-vpnserver\n'),
    ('roles/r/tasks/main.yml', '- ansible.builtin.command:\n    argv: [docker, exec, x, wg]\n'),
    ('molecule/s/tasks/t.yml', '    rig_exec_script: |\n      docker run -d --name x img\n'),
    ('molecule/s/files/x.sh', 'ids=$(docker ps -q --filter label=x)\n'),
    ('molecule/s/files/x.sh', 'docker --host unix:///x.sock inspect a\n'),
    ('molecule/s/tasks/t.yml', "      subprocess.run(['docker', 'exec', 'c', 'wg'])\n"),
    ('playbooks/p.yml', '      echo "$(docker images -q | wc -l)"\n'),
    ('roles/r/tasks/main.yml', '- ansible.builtin.command:\n    argv: [podman, load, -i, /tmp/x.tar]\n'),
    ('roles/r/tasks/main.yml', '- ansible.builtin.shell: podman --log-level debug start fbm-node-a\n'),
])
def test_the_docker_cli_is_found(tmp_path, path, text):
    done = gate(tmp_path, path, text)
    assert done.returncode == 1 and path in done.stderr


@pytest.mark.parametrize('text', [
    '- community.docker.docker_container_exec:\n    argv: [wg, show, wg0]\n',
    '# docker run is what this module replaces\n',
    '    msg: Install Docker (Debian: apt install docker.io) and start it, then re-run.\n',
    'rm -rf /var/run/docker.pid /var/run/docker.sock\n',
    '- containers.podman.podman_container_exec:\n    name: c\n    argv: [wg, show, wg0]\n',
    '    msg: Install podman (Debian: apt install podman), then re-run.\n',
])
def test_modules_comments_and_prose_pass(tmp_path, text):
    assert gate(tmp_path, 'roles/r/tasks/main.yml', text).returncode == 0
