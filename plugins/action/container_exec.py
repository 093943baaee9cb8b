# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller side of federated.vpn.container_exec (documented in plugins/modules/container_exec.py):
the engine's own module does the work on the host, as plugin_utils/container_engine.py says."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.federated.vpn.plugins.plugin_utils import container_engine
from ansible_collections.federated.vpn.plugins.plugin_utils.container_action import EngineAction

LOG_LINES = 10


class ActionModule(EngineAction):

    OPERATION = 'container_exec'
    SPEC = container_engine.EXEC_SPEC

    def after(self, args, result, task_vars):
        if result.get('failed') and 'rc' not in result:
            self._explain(args['container'], result, task_vars)

    def _explain(self, name, result, task_vars):
        """The command could not run: say whether the container runs, and how its log ends."""
        module, module_args = container_engine.module_call('container_info', {'name': name})
        info = self._execute_module(module_name=module, module_args=module_args, task_vars=task_vars)
        if info.get('failed'):
            return
        running, words, log_path = container_engine.engine_function('state')(info)
        result['container_running'] = running
        if running:
            return
        message = 'container %s %s' % (name, words)
        if log_path:
            tail = self._execute_module(module_name='ansible.builtin.command', task_vars=task_vars,
                                        module_args={'argv': ['tail', '-n', str(LOG_LINES), log_path]})
            if tail.get('rc') == 0:
                lines = container_engine.engine_function('log_lines')(tail.get('stdout', ''))
                # one line: the default callback prints the message as a JSON string
                message += '; its log ends: ' + ' | '.join(line for line in lines if line.strip())
        result['msg'] = '%s (%s)' % (message, result.get('msg', ''))
