# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller side of federated.vpn.container_exec (documented in plugins/modules/container_exec.py):
the engine's own module does the work on the host, as plugin_utils/container_engine.py says."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.plugins.action import ActionBase

from ansible_collections.federated.vpn.plugins.plugin_utils import container_engine


class ActionModule(ActionBase):

    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(
            argument_spec=container_engine.EXEC_SPEC)
        module, module_args = container_engine.module_call('container_exec', args)
        result.update(self._execute_module(module_name=module, module_args=module_args, task_vars=task_vars))
        return result
