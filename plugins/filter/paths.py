# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter inventory_path: a path on the controller that the inventory gives, as the tasks
that read it and vpn_validate both take it (plugin_utils/inventory_paths.py).

Documented in inventory_path.yml beside this file."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.federated.vpn.plugins.plugin_utils import inventory_paths


def inventory_path(path, inventory_dir=None):
    if path is None or str(path) == '':
        raise AnsibleFilterError('inventory_path: the path is empty')
    return inventory_paths.inventory_path(path, inventory_dir)


class FilterModule(object):
    def filters(self):
        return {'inventory_path': inventory_path}
