# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller side of federated.vpn.engine_info (documented in plugins/modules/engine_info.py):
what the host's engine holds, in one shape whichever engine it is."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.federated.vpn.plugins.plugin_utils.container_action import EngineAction


class ActionModule(EngineAction):

    SPEC = {}

    def before(self, args, task_vars):
        if self.engine == 'podman':
            listing = self.podman_listing(task_vars)
        else:
            listing = self._execute_module(
                module_name='community.docker.docker_host_info', task_vars=task_vars,
                module_args=dict(networks=True, containers=True, containers_all=True, images=True,
                                 verbose_output=True))
            listing['engine_answers'] = bool(listing.get('can_talk_to_docker'))
        # an engine that does not answer is an answer: the caller decides
        listing.pop('failed', None)
        return dict(listing, engine=self.engine, changed=False)
