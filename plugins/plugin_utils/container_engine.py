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

# restart at boot and after a crash, but not against an operator's `stop`
RESTART_POLICY = 'unless-stopped'

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


def docker_container(args):
    """community.docker.docker_container arguments for a validated description."""
    if args['state'] == 'absent':
        return dict(name=args['name'], state='absent', force_kill=args['force_kill'])
    if args['state'] == 'restarted':
        # the container as it runs, restarted: nothing compared, nothing re-created
        return dict(name=args['name'], state='started', restart=True, comparisons={'*': 'ignore'})
    out = _present(args, ['name', 'image', 'command', 'entrypoint', 'labels', 'capabilities',
                          'sysctls', 'published_ports', 'env'])
    out.update(state='started', restart=args['restart'], restart_policy=RESTART_POLICY)
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


ENGINES = {
    'docker': {
        'container': ('community.docker.docker_container', docker_container),
        'container_exec': ('community.docker.docker_container_exec', docker_container_exec),
    },
}
ENGINE = 'docker'


def module_call(operation, args, engine=ENGINE):
    """(module name, module arguments) that carry out operation on engine."""
    module, translate = ENGINES[engine][operation]
    return module, translate(args)
