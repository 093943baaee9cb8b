# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Apply a wg(8) configuration to the interface of a running container.

The container is reached through the Docker SDK for Python on the host (LiveInterface),
or, on a rootless Podman host, through podman as the module's user (PodmanInterface: no
daemon, no API socket to open). Before and
after `wg syncconf`, the live interface's public key must be the expected one: a sync
must never run against, or leave behind, an interface with another identity (the
lesson of ceph-cm-ansible #869, where a sync wiped the key of 127 peers).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.federated.vpn.plugins.module_utils.wireguard import WireGuardError, parse_dump

try:
    import docker
    from docker.errors import DockerException, NotFound
    HAS_DOCKER = True
    DOCKER_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the module
    HAS_DOCKER = False
    DOCKER_IMPORT_ERROR = exc


class LiveInterface:
    def __init__(self, container, interface='wg0', docker_host=None, client=None):
        self.container_name = container
        self.interface = interface
        try:
            self.client = client or docker.DockerClient(base_url=docker_host or 'unix:///var/run/docker.sock')
        except DockerException as exc:
            raise WireGuardError('cannot reach the Docker engine: %s' % exc)
        self._container = None

    def container(self):
        """The running container, or None if it does not exist. Raises if stopped."""
        if self._container is None:
            try:
                self._container = self.client.containers.get(self.container_name)
            except NotFound:
                return None
        if self._container.status != 'running':
            raise WireGuardError('container %s is %s, not running' % (self.container_name, self._container.status))
        return self._container

    def is_running(self):
        try:
            return self.container() is not None
        except WireGuardError:
            return False

    def _wg(self, *args):
        container = self.container()
        if container is None:
            raise WireGuardError('container %s does not exist' % self.container_name)
        result = container.exec_run(['wg'] + list(args))
        output = result.output.decode('utf-8', 'replace') if result.output else ''
        if result.exit_code != 0:
            # stderr of wg never contains keys; stdout of `show dump` would, so it is not echoed
            raise WireGuardError('wg %s failed in container %s (exit %s)'
                                 % (args[0], self.container_name, result.exit_code))
        return output

    def public_key(self):
        return self._wg('show', self.interface, 'public-key').strip()

    def state(self):
        """(listen_port, {public_key: (psk, allowed_ips)}) of the running interface."""
        return parse_dump(self._wg('show', self.interface, 'dump'))

    def syncconf(self, path):
        self._wg('syncconf', self.interface, path)


# podman's exit code for a container it does not know
PODMAN_NO_SUCH_CONTAINER = 125


class PodmanInterface(LiveInterface):
    """The same interface in a rootless Podman container. run is AnsibleModule.run_command
    (argv list -> rc, stdout, stderr), podman the path of its binary."""

    def __init__(self, container, interface, run, podman='podman'):
        self.container_name = container
        self.interface = interface
        self._run = run
        self._podman = podman
        self._status = None

    def container(self):
        if self._status is None:
            rc, out, err = self._run([self._podman, 'container', 'inspect', '--format', '{{.State.Status}}',
                                      self.container_name])
            if rc == PODMAN_NO_SUCH_CONTAINER or (rc != 0 and 'no such' in err.lower()):
                return None
            if rc != 0:
                raise WireGuardError('cannot inspect container %s with podman (exit %s): %s'
                                     % (self.container_name, rc, err.strip()))
            self._status = out.strip()
        if self._status != 'running':
            raise WireGuardError('container %s is %s, not running' % (self.container_name, self._status))
        return self.container_name

    def _wg(self, *args):
        if self.container() is None:
            raise WireGuardError('container %s does not exist' % self.container_name)
        rc, out, _err = self._run([self._podman, 'exec', self.container_name, 'wg'] + list(args))
        if rc != 0:
            # as above: the exit code only, never the output
            raise WireGuardError('wg %s failed in container %s (exit %s)' % (args[0], self.container_name, rc))
        return out


def expect_identity(live, expected_public_key, when):
    actual = live.public_key()
    if actual != expected_public_key:
        raise WireGuardError(
            'interface %s in container %s has public key %s %s, but the server key in the state '
            'directory is %s: failing closed' % (live.interface, live.container_name, actual, when,
                                                 expected_public_key))


def sync(live, config_path, expected_public_key, wanted_port, wanted_peers, check_mode=False):
    """Bring the live interface to the wanted state. Returns True if it had to change."""
    expect_identity(live, expected_public_key, 'before sync')
    port, peers = live.state()
    if port == wanted_port and peers == wanted_peers:
        return False
    if check_mode:
        return True
    live.syncconf(config_path)
    expect_identity(live, expected_public_key, 'after sync')
    port, peers = live.state()
    if port != wanted_port or peers != wanted_peers:
        raise WireGuardError('interface %s in container %s does not match %s after wg syncconf: '
                             'is the state directory mounted at that path?'
                             % (live.interface, live.container_name, config_path))
    return True
