# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Paths on the controller that the inventory gives: one rule, used by the validation
(vpn_validate) and by the tasks that read the files (the inventory_path filter).

A relative path is taken from the inventory directory of the host that declares it
(its inventory_dir: the directory of the inventory file that defines the host), never from
the current directory, the playbook's directory or a role's files/; '~' is expanded and an
absolute path is kept as it is. So the same inventory works from any directory and with
the collection installed (playbooks called by their FQCN). A host that comes from no
inventory file (the implicit localhost, `-i host,`) has no inventory directory: its
relative paths are taken from the current directory.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os


def inventory_path(path, inventory_dir=None):
    """path on the controller as the host whose inventory_dir is given means it."""
    expanded = os.path.expanduser(str(path))
    if os.path.isabs(expanded):
        return expanded
    base = os.path.expanduser(str(inventory_dir)) if inventory_dir else os.getcwd()
    return os.path.join(base, expanded)


def check_path(where, value, hv, errors, directory=False):
    """Append an error unless value, resolved for the host of hostvars hv, is a file
    (directory=True: a directory) on the controller. where names the host and variable;
    the message gives the resolved path. Returns the resolved path."""
    resolved = inventory_path(value, hv.get('inventory_dir'))
    if not (os.path.isdir(resolved) if directory else os.path.isfile(resolved)):
        relative = not os.path.isabs(os.path.expanduser(str(value)))
        errors.append('%s: %s does not exist on the controller%s%s'
                      % (where, resolved, ' as a directory' if directory else '',
                         ' (%s, relative to the inventory directory)' % value if relative else ''))
    return resolved


def check_archive_dir(host, hv, errors):
    """container_host_archive_dir of a host that loads its images from archives."""
    if str(hv.get('container_host_image_source') or '') != 'load':
        return
    archive_dir = hv.get('container_host_archive_dir')
    if not archive_dir:
        errors.append('%s: container_host_archive_dir: empty, while container_host_image_source is load' % host)
    else:
        check_path('%s: container_host_archive_dir' % host, archive_dir, hv, errors, directory=True)
