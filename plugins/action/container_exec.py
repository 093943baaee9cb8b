# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller side of federated.vpn.container_exec (documented in plugins/modules/container_exec.py):
the engine's own module does the work on the host, as plugin_utils/container_engine.py says."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.federated.vpn.plugins.plugin_utils import container_engine
from ansible_collections.federated.vpn.plugins.plugin_utils.container_action import EngineAction


class ActionModule(EngineAction):

    OPERATION = 'container_exec'
    SPEC = container_engine.EXEC_SPEC

    def after(self, args, result, task_vars):
        if self.engine_function('exec_could_not_run')(result):
            self._explain(args['container'], result, task_vars)

    def _explain(self, name, result, task_vars):
        """The command could not run: say whether the container runs, and how its log ends."""
        info = self.call('container_info', {'name': name}, task_vars)
        if info.get('failed'):
            return
        running, words, log_command = self.engine_function('state')(info)
        result['container_running'] = running
        if running:
            return
        message = 'container %s %s' % (name, words)
        if log_command:
            tail = self._execute_module(module_name='ansible.builtin.command', task_vars=task_vars,
                                        module_args={'argv': log_command})
            if tail.get('rc') == 0:
                # the container's stderr is podman logs' stderr
                lines = self.engine_function('log_lines')('\n'.join(
                    text for text in (tail.get('stdout', ''), tail.get('stderr', '')) if text))
                # one line: the default callback prints the message as a JSON string
                message += '; its log ends: ' + ' | '.join(line for line in lines if line.strip())
        # podman_container_exec leaves its reason in stderr only
        reason = result.get('msg') or result.get('stderr', '').strip()
        result['msg'] = '%s (%s)' % (message, reason)
