# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""status_peers, status_rows and status_table: the federation at a glance (status.yml).

Documented in their .yml files beside this file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

COLUMNS = (('peer', 'PEER'), ('type', 'TYPE'), ('address', 'VPN ADDRESS'), ('handshake', 'HANDSHAKE'),
           ('transfer', 'RX / TX'), ('engine', 'ENGINE'), ('container', 'CONTAINER'), ('state', 'STATE'),
           ('health', 'HEALTH'),
           ('wireguard', 'WIREGUARD'), ('fedbiomed', 'FED-BIOMED'))


def _size(count):
    count = float(count)
    for unit in ('B', 'KiB', 'MiB', 'GiB'):
        if count < 1024 or unit == 'GiB':
            return ('%d %s' % (count, unit)) if unit == 'B' else ('%.1f %s' % (count, unit))
        count /= 1024


def _age(stamp, now):
    if not stamp:
        return 'never'
    seconds = max(0, int(now) - int(stamp))
    return '%d s' % seconds if seconds < 120 else '%d min' % (seconds // 60)


def _fedbiomed(status):
    if not status:
        return '-'
    if status.get('role') == 'node':
        text = '%s, %s datasets, %s approved plans' % (
            status.get('state'), status.get('datasets', '?'), status.get('approved_plans', '?'))
        if status.get('last_connected'):
            text += ', last connected %s' % status['last_connected']
        return text
    return status.get('state') or '-'


def status_peers(registry):
    """The peer registry without its secrets: [{name, type, address, public_key, link}] (link:
    tunnel, or local for a peer linked locally to the server, vpn_local_links)."""
    return [dict(name=name, type=e['type'], address=e['address'], public_key=e.get('public_key'),
                 link=e.get('link', 'tunnel'))
            for name, e in sorted(registry.items())]


def _wireguard(wg):
    """The implementation a vpn-status JSON reports, with its version."""
    if not wg or not wg.get('implementation'):
        return '-'
    return ('%s %s' % (wg['implementation'], wg.get('implementation_version', ''))).strip()


def _client_wireguard(status):
    # a tunnel-only container answers with vpn-status, a Fed-BioMed one with fbm-status
    if not status:
        return '-'
    return _wireguard(status if 'implementation' in status else status.get('vpn'))


def status_rows(peers, server, clients):
    """Rows of the status table.

    peers: status_peers(registry); server: {address, now, wg (the server's vpn-status JSON),
    container: {name, state, health}}; clients: {peer name: {container, state, health,
    status (fbm-status JSON or None)}}.
    """
    live = dict((p['public_key'], p) for p in (server.get('wg') or {}).get('peers', []))
    rows = [dict(peer='(server)', type='server', address=server.get('address', '?'), handshake='-', transfer='-',
                 engine=server['container'].get('engine') or '-',
                 container=server['container'].get('name', '-'), state=server['container'].get('state', 'absent'),
                 health=server['container'].get('health') or '-', wireguard=_wireguard(server.get('wg')),
                 fedbiomed='-')]
    for peer in sorted(peers, key=lambda p: (p['type'], p['name'])):
        key = peer.get('public_key')
        state = live.get(key)
        client = clients.get(peer['name'], {})
        rows.append(dict(
            peer=peer['name'], type=peer['type'], address=peer['address'],
            handshake=('local link' if peer.get('link') == 'local' else
                       _age(state['latest_handshake'] if state else 0, server.get('now', 0)) if key else 'no key'),
            transfer=('%s / %s' % (_size(state['transfer_rx']), _size(state['transfer_tx']))) if state else '-',
            engine=client.get('engine') or '-',
            container=client.get('container') or '-', state=client.get('state') or 'unknown',
            health=client.get('health') or '-', wireguard=_client_wireguard(client.get('status')),
            fedbiomed=_fedbiomed(client.get('status'))))
    return rows


def status_table(rows):
    widths = dict((key, max([len(title)] + [len(str(r.get(key, ''))) for r in rows])) for key, title in COLUMNS)

    def line(values):
        return '  '.join(str(values[key]).ljust(widths[key]) for key, dummy in COLUMNS).rstrip()
    return [line(dict(COLUMNS))] + [line(r) for r in rows]


class FilterModule(object):
    def filters(self):
        return {'status_peers': status_peers, 'status_rows': status_rows, 'status_table': status_table}
