# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of what the federation roles read from the inventory, run by vpn_validate before
anything changes: node instances (keys, security, datasets, plans, GUIs) and the ports
each machine publishes. Every message names the host and the variable. Files on the
controller (plans, GUI certificates) are found as plugin_utils/inventory_paths.py says.

The schema of node_instances is the node role's argument spec (the keys each level may
hold); the defaults of other roles' ports are read from their defaults files, because
hostvars do not carry role defaults. Neither is restated here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible.errors import AnsibleFilterError
from ansible.parsing.utils.yaml import from_yaml

from ansible_collections.federated.vpn.plugins.filter.fedbiomed import dataset_spec, training_plan_spec
from ansible_collections.federated.vpn.plugins.module_utils import wireguard as wg
from ansible_collections.federated.vpn.plugins.plugin_utils.inventory_paths import check_path

ROLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'roles')


def _read_yaml(*parts):
    with open(os.path.join(ROLES, *parts)) as handle:
        return from_yaml(handle.read())


def role_default(role, var):
    """A variable's value in roles/<role>/defaults/main.yml."""
    return _read_yaml(role, 'defaults', 'main.yml')[var]


def instance_schema():
    """node_instances' suboptions, as roles/node/meta/argument_specs.yml declares them."""
    return _read_yaml('node', 'meta', 'argument_specs.yml')['argument_specs']['main']['options']['node_instances']['options']


SCHEMA = instance_schema()
INSTANCE_KEYS = tuple(SCHEMA)
SECURITY_BOOLS = tuple(key for key, option in SCHEMA['security']['options'].items() if option['type'] == 'bool')
GUI_KEYS = tuple(SCHEMA['gui']['options'])
ROLE_DEFAULTS = dict((var, role_default(role, var)) for role, var in (
    ('researcher', 'researcher_jupyter_port'), ('researcher', 'researcher_tensorboard_port'), ('gui', 'gui_base_port')))
DEFAULT_PASSWORDS = ('admin', 'administrator', 'password')
EMAIL_RE = re.compile(r'[^@\s]+@[^@\s]+')  # matched in full
# nginx server names the gui role writes into its configuration: host names, "*.domain",
# ".domain"; nothing that could end the directive (";", "{", a newline)
SERVER_NAME_RE = re.compile(r'(?:\*\.|\.)?' + wg.HOSTNAME_RE.pattern)
BOOL_STRINGS = ('true', 'false', 'yes', 'no', '1', '0', 'on', 'off')
LOCAL_CONNECTIONS = ('local', 'ansible.builtin.local')


def _is_bool(value):
    return isinstance(value, bool) or str(value).strip().lower() in BOOL_STRINGS


def _truthy(value):
    return value is True or str(value).strip().lower() in ('true', 'yes', '1', 'on')


def port_number(value):
    """The port if value is 1-65535 as a number or as digits with nothing around them, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not re.fullmatch(r'[0-9]{1,5}', str(value)):
        return None
    port = int(value)
    return port if 1 <= port <= 65535 else None


def machine_of(host, hv):
    """Hosts reached at the same address (or all local ones) share one machine's ports.

    The local connection, and a loopback ansible_host over SSH's default port, are this
    machine ('localhost'); a loopback ansible_host on another port is a machine of its own
    (a VM whose SSH port is forwarded, e.g. Vagrant's), keyed by that port. Names are
    compared without case.
    """
    if str(hv.get('ansible_connection') or '') in LOCAL_CONNECTIONS:
        return 'localhost'
    address = str(hv.get('ansible_host') or host).strip().lower().rstrip('.')
    if not wg.is_loopback_host(address):
        return address
    port = str(hv.get('ansible_port') or '22').strip()
    return 'localhost' if port == '22' else 'localhost:%s' % port


class Ports(object):
    """Ports published per machine and protocol; a second claim is a clash."""

    def __init__(self, errors):
        self.errors = errors
        self.claims = {}

    def claim(self, machine, proto, value, owner):
        port = port_number(value)
        if port is None:
            self.errors.append('%s: %r is not a port number (1-65535)' % (owner, value))
            return
        key = (machine, proto, port)
        if key in self.claims:
            self.errors.append('%s: %s/%d on machine %s is already taken by %s'
                               % (owner, proto, port, machine, self.claims[key]))
        else:
            self.claims[key] = owner


def _check_security(where, security, errors):
    if not isinstance(security, dict):
        errors.append('%s.security: must be a mapping' % where)
        return
    for key, value in security.items():
        if key == 'minimum_samples':
            if not str(value).strip().isdigit():
                errors.append('%s.security.minimum_samples: %r is not a whole number >= 0' % (where, value))
        elif key not in SECURITY_BOOLS:
            errors.append('%s.security.%s: unknown setting (known: %s, minimum_samples)'
                          % (where, key, ', '.join(SECURITY_BOOLS)))
        elif not _is_bool(value):
            errors.append('%s.security.%s: %r is not true or false' % (where, key, value))


def _check_items(where, key, items, spec, errors):
    if not isinstance(items, list):
        errors.append('%s.%s: must be a list' % (where, key))
        return []
    names = set()
    for index, item in enumerate(items):
        at = '%s.%s[%d]' % (where, key, index)
        if not isinstance(item, dict):
            errors.append('%s: must be a mapping' % at)
            continue
        try:
            spec(item)
        except AnsibleFilterError as exc:
            errors.append('%s: %s' % (at, exc))
            continue
        if item['name'] in names:
            errors.append('%s: name %s is declared twice in this instance' % (at, item['name']))
        names.add(item['name'])
    return [i for i in items if isinstance(i, dict)]


def _check_dataset_tags(where, items, errors):
    # Fed-BioMed refuses a dataset whose tags contain, or are contained in, another's of the
    # same node: a researcher's search by tags could not tell them apart
    specs = []
    for index, item in enumerate(items):
        try:
            specs.append((index, dataset_spec(item)))
        except AnsibleFilterError:
            continue  # reported by _check_items
    for position, (index, spec) in enumerate(specs):
        for index2, spec2 in specs[position + 1:]:
            if set(spec['tags']) <= set(spec2['tags']) or set(spec2['tags']) <= set(spec['tags']):
                errors.append('%s.datasets[%d].tags: %s conflict with datasets[%d] (%s) tags %s: one contains the '
                              'other, which Fed-BioMed refuses on one node' % (where, index2, spec2['tags'], index,
                                                                               spec['name'], spec['tags']))


def _check_dataset_path(at, item, errors):
    # a bind mount of a relative or missing path would silently create an empty directory
    path = item.get('path')
    if isinstance(path, str) and path.startswith('/') and '..' in path.split('/'):
        errors.append('%s.path: %s must not contain ".."' % (at, path))


def gui_problems(gui, where):
    """What is wrong with an enabled GUI's settings, files aside: the administrator (an e-mail
    address and a password that are not Fed-BioMed's defaults), the server names, the
    certificate and key together or neither. The gui role asks the same before it starts one."""
    problems = []
    email = str(gui.get('admin_email') or '')
    if not EMAIL_RE.fullmatch(email) or email == 'admin@fedbiomed.gui':
        problems.append('%s.gui.admin_email: %r must be an e-mail address, not Fed-BioMed\'s admin@fedbiomed.gui'
                        % (where, email))
    password = str(gui.get('admin_password') or '')
    if len(password) < 10 or password.lower() in DEFAULT_PASSWORDS:
        # never echo the password
        problems.append('%s.gui.admin_password: needs 10 characters or more and not a default password' % where)
    names = gui.get('server_name')
    if names is not None and (not isinstance(names, str)
                              or not all(SERVER_NAME_RE.fullmatch(name) for name in names.split(' '))):
        problems.append('%s.gui.server_name: %r must be host names separated by single spaces '
                        '(gui.hospital-a.example.org, *.hospital-a.example.org)' % (where, names))
    if ('certificate' in gui) != ('private_key' in gui):
        problems.append('%s.gui: certificate and private_key go together (or neither, for a self-signed one)' % where)
    return problems


def _check_gui(where, hv, gui, errors):
    if not isinstance(gui, dict):
        errors.append('%s.gui: must be a mapping' % where)
        return False
    for key in gui:
        if key not in GUI_KEYS:
            errors.append('%s.gui.%s: unknown setting (known: %s)' % (where, key, ', '.join(GUI_KEYS)))
    if not _truthy(gui.get('enabled', False)):
        return False
    errors.extend(gui_problems(gui, where))
    for key in ('certificate', 'private_key'):
        if gui.get(key):
            check_path('%s.gui.%s' % (where, key), gui[key], hv, errors)
    return True


def _check_instance(host, hv, index, inst, gui_ports, errors):
    where = '%s: node_instances[%d] (%s)' % (host, index, inst.get('name'))
    for key in inst:
        if key not in INSTANCE_KEYS:
            errors.append('%s.%s: unknown key (known: %s)' % (where, key, ', '.join(INSTANCE_KEYS)))
    if 'security' in inst:
        _check_security(where, inst['security'], errors)
    datasets = _check_items(where, 'datasets', inst.get('datasets', []), dataset_spec, errors)
    for index2, item in enumerate(datasets):
        _check_dataset_path('%s.datasets[%d]' % (where, index2), item, errors)
    _check_dataset_tags(where, datasets, errors)
    for index2, item in enumerate(_check_items(where, 'training_plans', inst.get('training_plans', []),
                                               training_plan_spec, errors)):
        if item.get('file'):  # a missing file is reported by training_plan_spec
            check_path('%s.training_plans[%d].file' % (where, index2), item['file'], hv, errors)
    if 'gui' in inst and _check_gui(where, hv, inst['gui'], errors):
        base = hv.get('gui_base_port', ROLE_DEFAULTS['gui_base_port'])
        default_port = port_number(base) + index if port_number(base) else base
        gui_ports.append((inst['gui'].get('port', default_port),
                          '%s.gui.port' % where if 'port' in inst['gui'] else '%s (gui_base_port + %d)' % (where, index)))


def check_federation(groups, hostvars, settings, errors):
    """Append every problem of the node instances and published ports to errors."""
    ports = Ports(errors)
    for host in [h for h in groups.get('vpnserver', [])[:1] if h in hostvars]:
        ports.claim(machine_of(host, hostvars[host]), 'udp', settings.get('port'), '%s: vpnserver_port' % host)
    for host in groups.get('researcher', []):
        hv = hostvars[host]
        for var in ('researcher_jupyter_port', 'researcher_tensorboard_port'):
            ports.claim(machine_of(host, hv), 'tcp', hv.get(var, ROLE_DEFAULTS[var]), '%s: %s' % (host, var))
    for host in groups.get('nodes', []):
        hv = hostvars[host]
        instances = hv.get('node_instances') or []
        if not isinstance(instances, list):
            continue  # reported by vpn_peers
        gui_ports = []
        for index, inst in enumerate(instances):
            if isinstance(inst, dict):
                _check_instance(host, hv, index, inst, gui_ports, errors)
        for port, owner in gui_ports:
            ports.claim(machine_of(host, hv), 'tcp', port, owner)
