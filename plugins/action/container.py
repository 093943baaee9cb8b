# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller side of federated.vpn.container (documented in plugins/modules/container.py):
the engine's own module does the work on the host, as plugin_utils/container_engine.py says."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.federated.vpn.plugins.plugin_utils import container_engine
from ansible_collections.federated.vpn.plugins.plugin_utils.container_action import EngineAction


class ActionModule(EngineAction):

    OPERATION = 'container'
    SPEC = container_engine.CONTAINER_SPEC
    REQUIRED_IF = container_engine.CONTAINER_REQUIRED_IF
