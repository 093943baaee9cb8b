# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one place where a container engine is chosen and spoken to.

The roles describe a container once, in the engine-neutral terms of
federated.vpn.container (and run commands in it with federated.vpn.container_exec);
this module turns that description into the arguments of the module that runs it on
the host's engine. Docker is the only engine today; another (rootless Podman) is one
more entry in ENGINES.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json

# restart at boot and after a crash, but not against an operator's `stop`
RESTART_POLICY = 'unless-stopped'

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
        source=dict(type='path', required=True),
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


def docker_network_info(args):
    return dict(name=args['network'])


def docker_state(info):
    """(usable, words for a person, log file or None) from docker_container_info's result,
    read after a command could not run in the container."""
    if not info.get('exists'):
        return False, 'does not exist', None
    container = info['container']
    state = container.get('State') or {}
    restarts = container.get('RestartCount', 0)
    if state.get('Restarting'):
        words = 'is restarting (last exit code %s, restarted %s times)' % (state.get('ExitCode'), restarts)
    elif state.get('Running') and restarts and not state.get('Paused'):
        # caught between two crashes: Docker shows it running, with exit code 0 again
        words = 'keeps restarting (restarted %s times)' % restarts
    elif state.get('Running') and not state.get('Paused'):
        return True, 'is running', None
    else:
        words = 'is %s (exit code %s)' % (state.get('Status', 'unknown'), state.get('ExitCode'))
    if state.get('Error'):
        words += ', error: %s' % state['Error']
    # json-file, Docker's default log driver, keeps the log in this file
    log_type = ((container.get('HostConfig') or {}).get('LogConfig') or {}).get('Type', 'json-file')
    return False, words, container.get('LogPath') or None if log_type == 'json-file' else None


def docker_log_lines(text):
    """The messages of json-file log lines (one JSON object per line)."""
    lines = []
    for line in text.splitlines():
        try:
            lines.append(json.loads(line).get('log', '').rstrip('\n'))
        except ValueError:
            lines.append(line)
    return lines


ENGINES = {
    'docker': {
        'container': ('community.docker.docker_container', docker_container),
        'container_exec': ('community.docker.docker_container_exec', docker_container_exec),
        'container_info': ('community.docker.docker_container_info', docker_container_info),
        'network_info': ('community.docker.docker_network_info', docker_network_info),
        'state': docker_state,
        'running_as_described': docker_running_as_described,
        'log_lines': docker_log_lines,
    },
}
ENGINE = 'docker'


def module_call(operation, args, engine=ENGINE):
    """(module name, module arguments) that carry out operation on engine."""
    module, translate = ENGINES[engine][operation]
    return module, translate(args)


def engine_function(name, engine=ENGINE):
    return ENGINES[engine][name]
