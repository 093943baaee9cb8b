# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters federation_labels, federation_claims and federation_clashes: which federation a
container belongs to; peer_carriers: which containers carry a VPN peer's tunnel;
fedbiomed_downgrade: whether a run would move components to an older
Fed-BioMed release than they run.

Documented in the .yml file of each beside this file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import posixpath

from ansible.errors import AnsibleFilterError

# packaging is a requirement of ansible-core, so it is there wherever this filter runs. The
# guard is for ansible-test's import sanity test, which imports plugins with ansible-core's
# Python code but not all of its requirements.
try:
    from packaging.version import InvalidVersion, Version
except ImportError as exc:
    PACKAGING_IMPORT_ERROR = exc
else:
    PACKAGING_IMPORT_ERROR = None

LABEL_FEDERATION = 'federated-vpn.federation'
LABEL_STATE = 'federated-vpn.state'
# set by the fedbiomed image (images/fedbiomed/Dockerfile) to the release it installs
LABEL_FEDBIOMED_VERSION = 'federated-vpn.fedbiomed-version'


def federation_labels(name, state):
    """The labels every container of federation name, serving state, carries."""
    return {LABEL_FEDERATION: str(name), LABEL_STATE: str(state)}


def federation_claims(names, prefixes, state):
    """The containers <prefix><name> a role wants, for each prefix (one, or a list) and name,
    each serving state, as claim.yml takes them."""
    prefixes = [prefixes] if isinstance(prefixes, str) else prefixes
    return [{'name': '%s%s' % (prefix, name), 'state': str(state)} for prefix in prefixes for name in names]


def peer_carriers(peers, node_prefix, researcher_name, tunnel_prefix):
    """The containers that may carry each peer's tunnel, one entry each: the peer's own
    Fed-BioMed container (carrier 'own': a node's <node_prefix><name>, the researcher's
    researcher_name; other peers have none) and the tunnel-only one of vpn.yml (carrier
    'tunnel': <tunnel_prefix><name>). Only one of them runs at a time."""
    carriers = []
    for peer in peers:
        entry = {'peer': peer['name'], 'type': peer['type']}
        own = {'node': '%s%s' % (node_prefix, peer['name']), 'researcher': str(researcher_name)}.get(peer['type'])
        if own:
            carriers.append(dict(entry, container=own, carrier='own'))
        carriers.append(dict(entry, container='%s%s' % (tunnel_prefix, peer['name']), carrier='tunnel'))
    return carriers


def _inside(path, directory):
    path, directory = posixpath.normpath(path), posixpath.normpath(directory)
    return path == directory or path.startswith(directory.rstrip('/') + '/')


def _owner(container, claim, federation):
    """None if the container is this federation's, else who it belongs to."""
    labels = container.get('Labels') or {}
    if LABEL_FEDERATION in labels or LABEL_STATE in labels:
        if labels.get(LABEL_FEDERATION) == federation and labels.get(LABEL_STATE) == claim['state']:
            return None
        return 'federation %s (state %s)' % (labels.get(LABEL_FEDERATION, '?'), labels.get(LABEL_STATE, '?'))
    # made before containers were labelled: ours if it serves our state directory
    sources = [m.get('Source', '') for m in container.get('Mounts') or [] if m.get('Type') == 'bind']
    if any(_inside(source, claim['state']) for source in sources):
        return None
    return 'no federation of this collection (no %s label; it mounts %s)' % (
        LABEL_FEDERATION, ', '.join(sources) or 'nothing')


def federation_clashes(containers, claims, federation, host='this host'):
    """One message per claimed container name that another federation's container holds.

    containers: docker_host_info's verbose container list; claims: [{name, state}].
    """
    by_name = {}
    for container in containers or []:
        for name in container.get('Names') or []:
            by_name[name.lstrip('/')] = container
    problems = []
    for claim in claims:
        container = by_name.get(claim['name'])
        owner = _owner(container, claim, federation) if container else None
        if owner:
            problems.append(
                '%s: container %s belongs to %s, not to this inventory\'s federation %s (state %s). '
                'Nothing was changed on %s. Give this inventory its own federation_name (container names '
                'and state directories follow it), or remove the other federation first.'
                % (host, claim['name'], owner, federation, claim['state'], host))
    return problems


def _release(text):
    try:
        return Version(str(text))
    except InvalidVersion:
        return None


def fedbiomed_downgrade(containers, federation, wanted, host='this host', allowed=False):
    """A message if wanted is no release number, or if containers of this federation run a
    newer Fed-BioMed release than wanted (the version label of their image) and that is not
    allowed; else ''. Containers without the label (images made before it existed) or of
    another federation do not count. Returns rather than raises: validate.yml stops every host
    on any message.
    """
    if PACKAGING_IMPORT_ERROR is not None:
        raise AnsibleFilterError('fedbiomed_downgrade needs the Python package packaging (a requirement of '
                                 'ansible-core) on the controller: %s' % PACKAGING_IMPORT_ERROR)
    target = _release(wanted)
    if target is None:
        return '%s: federation_fedbiomed_version %r is not a release number (e.g. 6.4.1). Nothing was changed.' % (
            host, wanted)
    newer = {}
    for container in containers or []:
        labels = container.get('Labels') or {}
        running = _release(labels.get(LABEL_FEDBIOMED_VERSION, ''))
        if labels.get(LABEL_FEDERATION) == federation and running is not None and running > target:
            names = [name.lstrip('/') for name in container.get('Names') or []]
            newer.setdefault(str(running), []).extend(names[:1])
    if not newer or allowed:
        return ''
    return ('%s: federation_fedbiomed_version is %s, but %s: a downgrade. A component written by a newer release '
            'may not load in an older one. Nothing was changed; to do it anyway (after playbooks/backup.yml), '
            'run again with -e allow_downgrade=true.'
            % (host, wanted, '; '.join('%s run%s Fed-BioMed %s' % (', '.join(sorted(names)), '' if len(names) > 1
                                                                   else 's', release)
                                       for release, names in sorted(newer.items()))))


class FilterModule(object):
    def filters(self):
        return {'federation_labels': federation_labels, 'federation_claims': federation_claims,
                'federation_clashes': federation_clashes, 'fedbiomed_downgrade': fedbiomed_downgrade,
                'peer_carriers': peer_carriers}
