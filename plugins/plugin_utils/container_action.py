# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller side shared by federated.vpn.container and container_exec: validate the
engine-neutral arguments, then have the engine's own module do the work on the host
(container_engine.py chooses it)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.plugins.action import ActionBase

from ansible_collections.federated.vpn.plugins.plugin_utils import container_engine


class EngineAction(ActionBase):

    TRANSFERS_FILES = False
    OPERATION = None        # a key of container_engine.ENGINES[engine]
    SPEC = None
    REQUIRED_IF = None

    def run(self, tmp=None, task_vars=None):
        result = super(EngineAction, self).run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=self.SPEC, required_if=self.REQUIRED_IF)
        self.engine = container_engine.engine_of(self._templar.template(task_vars.get('container_engine')))
        known = self.before(args, task_vars)
        if known is not None:
            result.update(known)
            return result
        result.update(self.apply(args, task_vars))
        self.after(args, result, task_vars)
        return result

    def apply(self, args, task_vars):
        """The operation's result: the engine's module's, unless an operation needs more."""
        return self.call(self.OPERATION, args, task_vars)

    def call(self, operation, args, task_vars):
        """The result of the host engine's module for operation."""
        module, module_args = container_engine.module_call(operation, args, self.engine)
        return self._execute_module(module_name=module, module_args=module_args, task_vars=task_vars)

    def engine_function(self, name):
        return container_engine.engine_function(name, self.engine)

    def before(self, args, task_vars):
        """A result known without calling the engine's module, or None."""
        return None

    def after(self, args, result, task_vars):
        """What an operation adds to the engine module's result."""

    def podman_listing(self, task_vars, containers=None, images=None, networks=True):
        """What Podman holds (all, or the containers and images named; none for False),
        in the shape docker_host_info gives (container_engine.podman_listing);
        engine_answers is false, with the reason in msg, when Podman does not answer."""
        found = {}
        for key, module, names in (('containers', 'podman_container_info', containers),
                                   ('images', 'podman_image_info', images),
                                   ('networks', 'podman_network_info', None if networks else False)):
            if names is False:
                continue
            result = self._execute_module(module_name='containers.podman.' + module, task_vars=task_vars,
                                          module_args=dict(name=names) if names else {})
            if result.get('failed'):
                return dict(engine_answers=False, msg=result.get('msg', ''))
            found[key] = result.get(key) or []
        return container_engine.podman_listing(found.get('containers'), found.get('images'), found.get('networks'))
