# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller side of federated.vpn.container_info (documented in plugins/modules/container_info.py):
one container as the host's engine inspects it, in one shape for Docker and Podman."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.federated.vpn.plugins.plugin_utils import container_engine
from ansible_collections.federated.vpn.plugins.plugin_utils.container_action import EngineAction


class ActionModule(EngineAction):

    OPERATION = 'container_info'
    SPEC = dict(name=dict(type='str', required=True))

    def after(self, args, result, task_vars):
        if self.engine == 'podman' and not result.get('failed'):
            found = container_engine.podman_inspected(result)
            result.pop('containers', None)
            result.update(exists=found is not None, container=found)
        result['engine'] = self.engine
