"""The roles' argument specs, as ansible-core validates a role's variables against them: the
node instances every inventory of this repository declares pass the node role's schema,
and what the schema does not know fails."""
import copy
import os

import pytest
import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
ROLES = sorted(os.listdir(os.path.join(ROOT, 'roles')))


def spec(role, entry='main'):
    with open(os.path.join(ROOT, 'roles', role, 'meta', 'argument_specs.yml')) as handle:
        return yaml.safe_load(handle)['argument_specs'][entry].get('options') or {}


def errors(role, variables, entry='main'):
    return ArgumentSpecValidator(spec(role, entry)).validate(variables).error_messages


def declared_instances():
    """node_instances of inventories/example and inventories/local (templates replaced by text)."""
    found = []
    with open(os.path.join(ROOT, 'inventories', 'example', 'host_vars', 'fl.hospital-b.example.org.yml')) as handle:
        found.append(yaml.safe_load(handle)['node_instances'])
    with open(os.path.join(ROOT, 'inventories', 'local', 'hosts.yml')) as handle:
        hosts = yaml.safe_load(handle)['all']['children']['nodes']['hosts']
    found.extend(h['node_instances'] for h in hosts.values() if h and 'node_instances' in h)
    return found


@pytest.mark.parametrize('role', ROLES)
def test_every_entry_point_spec_is_valid(role):
    with open(os.path.join(ROOT, 'roles', role, 'meta', 'argument_specs.yml')) as handle:
        entries = yaml.safe_load(handle)['argument_specs']
    for entry in entries:
        ArgumentSpecValidator(spec(role, entry))


@pytest.mark.parametrize('instances', declared_instances())
def test_declared_instances_pass_the_schema(instances):
    assert errors('node', {'node_instances': instances}) == []


def test_a_full_instance_passes():
    instance = {'name': 'hospital-a', 'vpn_address': '10.221.0.50',
                'datasets': [{'name': 'cohort', 'path': '/srv/c.csv', 'data_type': 'csv', 'tags': ['cohort'],
                              'description': 'admissions'}],
                'training_plans': [{'name': 'lung', 'file': 'plans/lung.py', 'description': 'reviewed'}],
                'security': {'training_plan_approval': 'yes', 'minimum_samples': '50'},
                'gui': {'enabled': True, 'admin_email': 'it@a.org', 'admin_password': 'x' * 12, 'port': '8444',
                        'server_name': 'gui.a.org', 'certificate': 'c.crt', 'private_key': 'c.key'}}
    assert errors('node', {'node_instances': [instance]}) == []


@pytest.mark.parametrize('path, value', [
    (('gui', 'admin_pasword'), 'x'),
    (('security', 'secure_agregation'), True),
    (('datasets', 0, 'tag'), ['x']),
    (('training_plans', 0, 'path'), 'p.py'),
    (('vpn_adress',), '10.221.0.5'),
])
def test_unknown_keys_fail(path, value):
    instance = {'name': 'hospital-a', 'gui': {}, 'security': {},
                'datasets': [{'name': 'cohort', 'path': '/srv/c.csv', 'tags': ['cohort']}],
                'training_plans': [{'name': 'lung', 'file': 'plans/lung.py'}]}
    target = instance
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert any(path[-1] in message for message in errors('node', {'node_instances': [copy.deepcopy(instance)]}))


def test_an_instance_needs_a_name():
    assert errors('node', {'node_instances': [{'vpn_address': '10.221.0.5'}]}) != []
