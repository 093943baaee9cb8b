# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller side of federated.vpn.container (documented in plugins/modules/container.py):
the engine's own module does the work on the host, as plugin_utils/container_engine.py says.

A container the engine's listing of this run (validate.yml's federation_engine) shows
running as described, from the image its reference names, is left alone without calling
the module: that call is most of a no-op re-run's time per container. The listing is
trusted only while it holds: an image delivered since is compared by the ID its delivery
reported (container_host's container_host_image_ids), and a host where this module
changed a container since (it then sets federation_engine_stale) is not compared.

In check mode, a container on a network that does not exist yet is predicted to change."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.federated.vpn.plugins.plugin_utils import container_engine
from ansible_collections.federated.vpn.plugins.plugin_utils.container_action import EngineAction


class ActionModule(EngineAction):

    OPERATION = 'container'
    SPEC = container_engine.CONTAINER_SPEC
    REQUIRED_IF = container_engine.CONTAINER_REQUIRED_IF

    def _fact(self, task_vars, name, default):
        return self._templar.template(task_vars.get(name, default))

    def before(self, args, task_vars):
        if any(mount['source'].startswith('~/') for mount in args.get('mounts') or []):
            # a rootless Podman host keeps its state under the user's home: the engine needs
            # absolute sources, and the digest the same ones at every run
            home = self._fact(task_vars, 'ansible_user_dir', None) or self._remote_expand_user('~')
            args['mounts'] = [dict(mount, source=home + mount['source'][1:] if mount['source'].startswith('~/')
                                   else mount['source']) for mount in args['mounts']]
        if self._task.check_mode and args['state'] == 'started' and args.get('network'):
            # the engine's module refuses a network that does not exist, even to predict;
            # one the run makes first (the VPN server's) does not exist in check mode
            if not self.engine_function('network_exists')(self.call('network_info', args, task_vars)):
                return dict(changed=True, msg='%s would start on network %s, which does not exist yet'
                                              % (args['name'], args['network']))
        if args['state'] != 'started' or args['restart']:
            return None
        delivered = self._fact(task_vars, 'container_host_image_ids', None) or {}
        image_id = delivered[args['image']] if args['image'] in delivered else None
        if args['image'] in delivered and not image_id:
            return None
        stale = self._fact(task_vars, 'federation_engine_stale', False)
        listing = {} if stale else self._fact(task_vars, 'federation_engine', None) or {}
        if not listing.get('containers') and not self.engine_function('compares'):
            # the engine's module would re-create it: read this container first
            listing = self.podman_listing(task_vars, containers=[args['name']],
                                          images=False if image_id else [args['image']], networks=False)
        if not self.engine_function('running_as_described')(args, listing, image_id):
            return None
        return dict(changed=False, msg='%s runs as described' % args['name'])

    def apply(self, args, task_vars):
        if self.engine != 'podman':
            return self.call(self.OPERATION, args, task_vars)
        unit = container_engine.podman_unit_call
        systemd = 'ansible.builtin.systemd_service'
        if args['state'] == 'restarted':
            return self._execute_module(module_name=systemd, task_vars=task_vars,
                                        module_args=unit(args['name'], state='restarted'))
        if args['state'] == 'absent':
            # a unit left enabled would try to start a missing container at every boot; a
            # host prepared without the template has no unit to stop
            stopped = self._execute_module(module_name=systemd, task_vars=task_vars,
                                           module_args=unit(args['name'], state='stopped', enabled=False))
            removed = self.call('container', args, task_vars)
            if not stopped.get('failed') and stopped.get('changed'):
                removed['changed'] = True
            return removed
        if not self._task.check_mode:
            # the container is re-created below: its unit must not restart the old one meanwhile
            stopped = self._execute_module(module_name=systemd, task_vars=task_vars,
                                           module_args=unit(args['name'], state='stopped'))
            if stopped.get('failed'):
                return stopped
        created = self.call('container', args, task_vars)
        if created.get('failed') or self._task.check_mode:
            return created
        started = self._execute_module(module_name=systemd, task_vars=task_vars,
                                       module_args=unit(args['name'], state='restarted', enabled=True))
        if started.get('failed'):
            return started
        return dict(created, changed=True)

    def after(self, args, result, task_vars):
        if result.get('changed'):
            result['ansible_facts'] = dict(federation_engine_stale=True)
