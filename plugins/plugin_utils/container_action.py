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
        known = self.before(args, task_vars)
        if known is not None:
            result.update(known)
            return result
        module, module_args = container_engine.module_call(self.OPERATION, args)
        result.update(self._execute_module(module_name=module, module_args=module_args, task_vars=task_vars))
        self.after(args, result, task_vars)
        return result

    def before(self, args, task_vars):
        """A result known without calling the engine's module, or None."""
        return None

    def after(self, args, result, task_vars):
        """What an operation adds to the engine module's result."""
