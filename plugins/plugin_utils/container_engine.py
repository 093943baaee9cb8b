# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one place where a container engine is chosen and spoken to.

The roles describe a container once, in the engine-neutral terms of
federated.vpn.container (and run commands in it with federated.vpn.container_exec);
this module turns that description into the arguments of the module that runs it on
the host's engine: Docker (community.docker) or rootless Podman (containers.podman), by
the host's variable container_engine. What the run reads of an engine at its start
(validate.yml's federation_engine) takes Docker's shape whichever engine answered, so
that its readers know one shape.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json

# restart at boot and after a crash, but not against an operator's `stop`
RESTART_POLICY = 'unless-stopped'
# Podman has no daemon: each container is started by a systemd user unit of its own
# (enabled, started at boot with the user's linger, restarted after a crash), not by a
# restart policy - Podman 4.3's cleanup deadlocks restarting a keep-id container
# (containers/podman#21477, fixed in 5.0), which would hang every podman command of the
# user. The units are instances, by container name, of the template that role
# container_host installs (its files/).
PODMAN_UNIT_TEMPLATE = 'federated-vpn@.service'
# Fed-BioMed's user in the images: on a rootless Podman host it is the SSH user, so that
# the files of its bind mounts belong to the user on the host (and need no chown in a
# user namespace); container root keeps its capabilities inside the namespace, and reads
# the user's 0600 files (a private key)
PODMAN_USERNS = 'keep-id:uid=2101,gid=2101'
# keep-id would also start the container as 2101: the entry points start as root (wg0,
# the firewall) and drop to Fed-BioMed's user themselves, as under Docker
PODMAN_USER = '0:0'
# With slirp4netns's own port handler a published port keeps the sender's address (the
# default one, rootlesskit, shows every peer as 10.0.2.100 to a WireGuard server)
PODMAN_NETWORK = 'slirp4netns:port_handler=slirp4netns'
# what slirp4netns gives every rootless container: no VPN network may overlap it
PODMAN_SLIRP_SUBNET = '10.0.2.0/24'
# Docker's default capabilities include NET_RAW, Podman's not: ping (iputils' file
# capability cannot even be executed beyond the bounding set), which the tunnels' check uses
PODMAN_ADDED_CAPABILITIES = ['NET_RAW']
# a log in a file, as Docker's json-file: podman logs reads it whether or not the user's
# journal keeps anything
PODMAN_LOG_DRIVER = 'k8s-file'

# a started container carries the digest of its description, so that a re-run can tell
# from the engine's one listing (validate.yml's federation_engine) that it runs as described
LABEL_DESCRIPTION = 'federated-vpn.description'
DESCRIBED = ('image', 'command', 'entrypoint', 'labels', 'capabilities', 'devices', 'sysctls',
             'published_ports', 'env', 'mounts')
# described only when given: a container on the engine's own network keeps its digest
DESCRIBED_WHEN_SET = ('network',)

CONTAINER_SPEC = dict(
    name=dict(type='str', required=True),
    state=dict(type='str', choices=['started', 'restarted', 'absent'], default='started'),
    image=dict(type='str'),
    command=dict(type='list', elements='str'),
    entrypoint=dict(type='list', elements='str'),
    restart=dict(type='bool', default=False),
    labels=dict(type='dict'),
    capabilities=dict(type='list', elements='str'),
    devices=dict(type='list', elements='path'),
    sysctls=dict(type='dict'),
    published_ports=dict(type='list', elements='str'),
    network=dict(type='str'),
    env=dict(type='dict'),
    mounts=dict(type='list', elements='dict', options=dict(
        # not 'path': that would expand ~ on the controller; the action expands it on the host
        source=dict(type='str', required=True),
        target=dict(type='path', required=True),
        read_only=dict(type='bool', default=False),
    )),
    force_kill=dict(type='bool', default=False),
)
CONTAINER_REQUIRED_IF = [('state', 'started', ['image'])]

EXEC_SPEC = dict(
    container=dict(type='str', required=True),
    argv=dict(type='list', elements='str', required=True),
    user=dict(type='str'),
    env=dict(type='dict'),
    stdin=dict(type='str'),
)


def _present(args, keys):
    return dict((key, args[key]) for key in keys if args.get(key) is not None)


def description_digest(args):
    """The digest of what a started container is described as (engine-neutral, so an
    engine's own defaults do not change it)."""
    described = dict((key, args.get(key)) for key in DESCRIBED)
    described.update(_present(args, DESCRIBED_WHEN_SET))
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode('utf-8')).hexdigest()


def labelled(args):
    """The description with its digest among its labels."""
    labels = dict(args.get('labels') or {})
    labels[LABEL_DESCRIPTION] = description_digest(args)
    return dict(args, labels=labels)


def docker_running_as_described(args, listing, image_id=None):
    """Whether docker_host_info's listing (containers and images, verbose) shows the
    container of this started description running, from it and from the image its
    reference names now (image_id when known since, else as listed): then the engine
    module would change nothing."""
    name = '/' + args['name']
    container = next((item for item in listing.get('containers') or []
                      if name in (item.get('Names') or [])), None)
    if container is None or container.get('State') != 'running':
        return False
    if (container.get('Labels') or {}).get(LABEL_DESCRIPTION) != description_digest(args):
        return False
    if image_id is None:
        image_id = next((item.get('Id') for item in listing.get('images') or []
                         if args['image'] in (item.get('RepoTags') or [])), None)
    return image_id is not None and container.get('ImageID') == image_id


def docker_container(args):
    """community.docker.docker_container arguments for a validated description."""
    if args['state'] == 'absent':
        return dict(name=args['name'], state='absent', force_kill=args['force_kill'])
    if args['state'] == 'restarted':
        # the container as it runs, restarted: nothing compared, nothing re-created
        return dict(name=args['name'], state='started', restart=True, comparisons={'*': 'ignore'})
    args = labelled(args)
    out = _present(args, ['name', 'image', 'command', 'entrypoint', 'labels', 'capabilities',
                          'sysctls', 'published_ports', 'env'])
    out.update(state='started', restart=args['restart'], restart_policy=RESTART_POLICY)
    if args.get('network') is not None:
        out.update(network_mode=args['network'], networks=[{'name': args['network']}])
    if args.get('devices') is not None:
        out['devices'] = ['%s:%s:rwm' % (path, path) for path in args['devices']]
    if args.get('mounts') is not None:
        out['mounts'] = [dict(dict(type='bind', source=mount['source'], target=mount['target']),
                              **({'read_only': True} if mount['read_only'] else {}))
                         for mount in args['mounts']]
    return out


def docker_container_exec(args):
    """community.docker.docker_container_exec arguments for a validated command."""
    return _present(args, ['container', 'argv', 'user', 'env', 'stdin'])


def docker_container_info(args):
    return dict(name=args['name'])


def network_info(args):
    """docker_network_info's and podman_network_info's arguments alike."""
    return dict(name=args['network'])


# how many of its last log lines explain a container that does not run
LOG_LINES = 10


def state_words(container):
    """None when an inspected container (Docker's or Podman's: the same State fields)
    runs, else what a person should read about it."""
    state = container.get('State') or {}
    restarts = container.get('RestartCount', 0)
    if state.get('Restarting'):
        words = 'is restarting (last exit code %s, restarted %s times)' % (state.get('ExitCode'), restarts)
    elif state.get('Running') and restarts and not state.get('Paused'):
        # caught between two crashes: Docker shows it running, with exit code 0 again
        words = 'keeps restarting (restarted %s times)' % restarts
    elif state.get('Running') and not state.get('Paused'):
        return None
    else:
        words = 'is %s (exit code %s)' % (state.get('Status', 'unknown'), state.get('ExitCode'))
    if state.get('Error'):
        words += ', error: %s' % state['Error']
    return words


def docker_state(info):
    """(usable, words for a person, the command that prints the end of its log or None)
    from docker_container_info's result, read after a command could not run in it."""
    if not info.get('exists'):
        return False, 'does not exist', None
    container = info['container']
    words = state_words(container)
    if words is None:
        return True, 'is running', None
    # json-file, Docker's default log driver, keeps the log in this file
    log_type = ((container.get('HostConfig') or {}).get('LogConfig') or {}).get('Type', 'json-file')
    log_path = container.get('LogPath') if log_type == 'json-file' else None
    return False, words, ['tail', '-n', str(LOG_LINES), log_path] if log_path else None


def docker_log_lines(text):
    """The messages of json-file log lines (one JSON object per line)."""
    lines = []
    for line in text.splitlines():
        try:
            lines.append(json.loads(line).get('log', '').rstrip('\n'))
        except ValueError:
            lines.append(line)
    return lines


def _bind_mount(mount):
    return 'type=bind,source=%s,destination=%s%s' % (mount['source'], mount['target'],
                                                     ',ro=true' if mount['read_only'] else '')


def podman_unit(name):
    """The systemd user unit that runs container name."""
    return PODMAN_UNIT_TEMPLATE.replace('@', '@' + name)


def podman_unit_call(name, **options):
    """ansible.builtin.systemd_service arguments for the unit of container name."""
    return dict(options, name=podman_unit(name), scope='user')


def podman_container(args):
    """containers.podman.podman_container arguments for a validated description, to create
    the container its unit starts (federated.vpn.container's action does the rest). Whether
    it already runs as described is decided before, by its digest label: a container that
    does not is re-created, not compared field by field."""
    if args['state'] == 'absent':
        return dict(name=args['name'], state='absent')
    args = labelled(args)
    out = _present(args, ['name', 'image', 'command', 'env'])
    if args.get('entrypoint') is not None:
        # podman reads a JSON array as the exec form
        out['entrypoint'] = json.dumps(args['entrypoint'])
    for ours, theirs in (('labels', 'label'), ('sysctls', 'sysctl'), ('published_ports', 'publish')):
        if args.get(ours) is not None:
            out[theirs] = args[ours]
    out['cap_add'] = list(args.get('capabilities') or []) + [
        cap for cap in PODMAN_ADDED_CAPABILITIES if cap not in (args.get('capabilities') or [])]
    if args.get('devices') is not None:
        out['device'] = ['%s:%s:rwm' % (path, path) for path in args['devices']]
    if args.get('mounts') is not None:
        out['mount'] = [_bind_mount(mount) for mount in args['mounts']]
    out['network'] = [args['network'] if args.get('network') is not None else PODMAN_NETWORK]
    out.update(state='created', recreate=True, userns=PODMAN_USERNS, user=PODMAN_USER,
               log_driver=PODMAN_LOG_DRIVER)
    return out


def podman_container_exec(args):
    """containers.podman.podman_container_exec arguments for a validated command. The
    module has no standard input: a text for it travels in the environment and a shell
    inside pipes it to the command."""
    out = dict(name=args['container'], argv=list(args['argv']))
    env = dict(args.get('env') or {})
    if args.get('stdin') is not None:
        env['FVPN_STDIN'] = args['stdin']
        out['argv'] = ['sh', '-c', 'printf %s "$FVPN_STDIN" | "$@"', 'sh'] + out['argv']
    if env:
        out['env'] = env
    if args.get('user') is not None:
        out['user'] = args['user']
    return out


def podman_container_info(args):
    return dict(name=[args['name']])


def docker_exec_could_not_run(result):
    # a command that ran has an exit code, whatever it was
    return bool(result.get('failed')) and 'rc' not in result


def podman_exec_could_not_run(result):
    # podman's own errors: no such container 125, a container not running 255 (a command's
    # own 255 only costs a look at the container, which then runs); the module does not
    # say failed (Ansible fails the task on the exit code)
    return result.get('rc') in (125, 255)


def docker_network_exists(result):
    return bool(result.get('exists'))


def podman_network_exists(result):
    # podman_network_info fails on a network that does not exist
    return not result.get('failed') and bool(result.get('networks'))


def podman_inspected(info):
    """The one container of a podman_container_info result, or None."""
    containers = info.get('containers') or []
    return containers[0] if containers else None


def podman_state(info):
    """(usable, words for a person, the command that prints the end of its log or None)
    from podman_container_info's result. The log file belongs to the user namespace's
    root, so podman reads it."""
    container = podman_inspected(info)
    if container is None:
        return False, 'does not exist', None
    words = state_words(container)
    if words is None:
        return True, 'is running', None
    return False, words, ['podman', 'logs', '--tail', str(LOG_LINES), container.get('Name')]


def podman_log_lines(text):
    """podman logs prints the messages as they were."""
    return text.splitlines()


# Podman names an image with a registry: one loaded or built as name:tag is localhost/name:tag
PODMAN_IMPLIED_REGISTRIES = ('localhost/', 'docker.io/library/', 'docker.io/')


def short_name(tag):
    """An image name as the roles write it (no registry Podman added to it)."""
    for prefix in PODMAN_IMPLIED_REGISTRIES:
        if tag.startswith(prefix):
            return tag[len(prefix):]
    return tag


def podman_listing(containers, images, networks):
    """What podman_container_info, podman_image_info and podman_network_info (all of them)
    return, in the shape docker_host_info gives with containers, images, networks and
    verbose output: the shape federation_engine's readers know."""
    listing = dict(engine_answers=True, containers=[], images=[], networks=[])
    for container in containers or []:
        listing['containers'].append({
            'Id': container.get('Id'),
            'Names': ['/' + container.get('Name', '')],
            'Image': container.get('ImageName'),
            'ImageID': container.get('Image'),
            'State': (container.get('State') or {}).get('Status'),
            'Labels': (container.get('Config') or {}).get('Labels') or {},
        })
    for image in images or []:
        tags = image.get('RepoTags') or []
        shortened = [short_name(tag) for tag in tags if short_name(tag) != tag]
        listing['images'].append({'Id': image.get('Id'), 'RepoTags': tags + shortened})
    for network in networks or []:
        listing['networks'].append({
            'Name': network.get('name'),
            'IPAM': {'Config': [{'Subnet': subnet.get('subnet')} for subnet in network.get('subnets') or []]},
        })
    # every rootless container's own network, though no engine lists it
    listing['networks'].append({'Name': 'slirp4netns', 'IPAM': {'Config': [{'Subnet': PODMAN_SLIRP_SUBNET}]}})
    return listing


ENGINES = {
    'docker': {
        'container': ('community.docker.docker_container', docker_container),
        'container_exec': ('community.docker.docker_container_exec', docker_container_exec),
        'container_info': ('community.docker.docker_container_info', docker_container_info),
        'network_info': ('community.docker.docker_network_info', network_info),
        'network_exists': docker_network_exists,
        'exec_could_not_run': docker_exec_could_not_run,
        # docker_container compares a container with its description itself
        'compares': True,
        'state': docker_state,
        'running_as_described': docker_running_as_described,
        'log_lines': docker_log_lines,
    },
    'podman': {
        'container': ('containers.podman.podman_container', podman_container),
        'container_exec': ('containers.podman.podman_container_exec', podman_container_exec),
        'container_info': ('containers.podman.podman_container_info', podman_container_info),
        'network_info': ('containers.podman.podman_network_info', network_info),
        'network_exists': podman_network_exists,
        'exec_could_not_run': podman_exec_could_not_run,
        # podman_container's own comparison misreads some options on some releases: the
        # digest label decides instead (federated.vpn.container reads the container first)
        'compares': False,
        'state': podman_state,
        'running_as_described': docker_running_as_described,
        'log_lines': podman_log_lines,
    },
}
ENGINE = 'docker'


# how images reach a Podman host (no local Docker engine to build on or take them from)
PODMAN_IMAGE_SOURCES = ('load', 'pull')


def engine_problems(host, hv):
    """What is wrong with a host's container_engine, each naming the variable."""
    engine = hv.get('container_engine', ENGINE)
    if engine not in ENGINES:
        return ['%s: container_engine %r is not one of %s' % (host, engine, ', '.join(sorted(ENGINES)))]
    source = hv.get('container_host_image_source', 'build')
    if engine == 'podman' and source not in PODMAN_IMAGE_SOURCES:
        return ['%s: container_host_image_source %r: a host with container_engine podman takes its images by %s '
                '(set container_host_image_source)' % (host, source, ' or '.join(PODMAN_IMAGE_SOURCES))]
    return []


def engine_of(name):
    """The engine a host's container_engine names (docker when unset); validation has
    refused any other value before a task asks."""
    return name if name in ENGINES else ENGINE


def module_call(operation, args, engine=ENGINE):
    """(module name, module arguments) that carry out operation on engine."""
    module, translate = ENGINES[engine][operation]
    return module, translate(args)


def engine_function(name, engine=ENGINE):
    return ENGINES[engine][name]
