# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The descriptions of the module attributes ansible-core's fragments
(ansible.builtin.action_common_attributes) do not describe."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
attributes:
  idempotent:
    description:
      - When run again with the same options on an unchanged target, the module reports no
        change and changes nothing.
'''
