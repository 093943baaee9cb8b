# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that turn node_instances declarations into what the node container needs.

dataset_mount, dataset_spec, training_plan_spec, smoke_rounds_of; documented in their .yml
files. A dataset
declared with a host path is mounted read-only at /data/<name>/<basename of the path> and
registered in Fed-BioMed at that path; approved plans are at /fbm/training_plans/<name>.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import posixpath
import re

from ansible.errors import AnsibleFilterError

NAME_RE = re.compile(r'[A-Za-z0-9][A-Za-z0-9_.-]{2,62}')  # matched in full: no trailing newline
DATA_TYPES = ('csv', 'default', 'mednist', 'images', 'medical-folder', 'custom')


def _name(item, what):
    name = item.get('name') if isinstance(item, dict) else None
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        raise AnsibleFilterError('%s name %r: 3-63 letters, digits, ".", "_" or "-"' % (what, name))
    return name


def _container_path(item):
    path = item.get('path')
    if (not isinstance(path, str) or not path.startswith('/') or path.rstrip('/') == ''
            or any(char in path for char in '\n\r\t\0')):
        raise AnsibleFilterError('dataset %s: path %r must be an absolute path on the host' % (item.get('name'), path))
    return '/data/%s/%s' % (item['name'], posixpath.basename(path.rstrip('/')))


def dataset_mount(path_and_name):
    path, name = path_and_name
    item = {'name': name, 'path': path}
    _name(item, 'dataset')
    return {'source': path.rstrip('/'), 'target': _container_path(item), 'read_only': True}


def dataset_spec(item):
    name = _name(item, 'dataset')
    tags = item.get('tags') or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(',')]
    if not tags or any(not isinstance(t, str) or len(t) < 3 or ',' in t for t in tags):
        raise AnsibleFilterError('dataset %s: tags must be a list of words of at least 3 characters' % name)
    data_type = item.get('data_type', 'csv')
    if data_type not in DATA_TYPES:
        raise AnsibleFilterError('dataset %s: data_type %r is not one of %s' % (name, data_type, ', '.join(DATA_TYPES)))
    description = item.get('description') or name
    if len(description) < 3:
        raise AnsibleFilterError('dataset %s: description needs at least 3 characters' % name)
    return {'name': name, 'path': _container_path(item), 'source': item['path'].rstrip('/'), 'data_type': data_type,
            'tags': sorted(tags), 'description': description}


def training_plan_spec(item):
    name = _name(item, 'training plan')
    if not item.get('file'):
        raise AnsibleFilterError('training plan %s: file (on the controller) is required' % name)
    return {'name': name, 'path': '/fbm/training_plans/%s.py' % name,
            'description': item.get('description') or 'approved in the inventory'}


def smoke_rounds_of(node_id, experiments):
    """Per smoke experiment, the rounds a node trained in (from the smoke report)."""
    return dict((name, sorted(int(r) for r, nodes in result['trained_per_round'].items() if node_id in nodes))
                for name, result in sorted(experiments.items()) if 'trained_per_round' in result)


class FilterModule(object):
    def filters(self):
        return {'dataset_mount': dataset_mount, 'dataset_spec': dataset_spec,
                'training_plan_spec': training_plan_spec, 'smoke_rounds_of': smoke_rounds_of}
