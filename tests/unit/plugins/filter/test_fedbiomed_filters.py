import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.federated.vpn.plugins.filter.fedbiomed import (
    dataset_mount, dataset_spec, smoke_rounds_of, training_plan_spec)
from ansible_collections.federated.vpn.plugins.filter.status import status_peers, status_rows, status_table


def test_dataset_mount_and_spec_agree_on_the_container_path():
    mount = dataset_mount(('/srv/data/cohort-a.csv', 'cohort-a'))
    spec = dataset_spec({'name': 'cohort-a', 'path': '/srv/data/cohort-a.csv', 'tags': ['rig', 'cohort']})
    # a bind mount as federated.vpn.container takes it
    assert mount == {'source': '/srv/data/cohort-a.csv', 'target': '/data/cohort-a/cohort-a.csv', 'read_only': True}
    assert spec['path'] == mount['target'] and spec['tags'] == ['cohort', 'rig']
    assert spec['data_type'] == 'csv' and spec['description'] == 'cohort-a'
    assert dataset_mount(('/srv/images/', 'imgs'))['target'] == '/data/imgs/images'


@pytest.mark.parametrize('item, message', [
    ({'name': 'ab', 'path': '/x', 'tags': ['abc']}, 'name'),
    ({'name': 'abc', 'path': 'relative', 'tags': ['abc']}, 'absolute'),
    ({'name': 'abc', 'path': '/x', 'tags': []}, 'tags'),
    ({'name': 'abc', 'path': '/x', 'tags': ['ab']}, 'tags'),
    ({'name': 'abc', 'path': '/x', 'tags': ['abc'], 'data_type': 'xls'}, 'data_type'),
    ({'name': 'abc', 'path': '/x', 'tags': ['abc'], 'description': 'ab'}, 'description'),
])
def test_dataset_spec_rejects_what_fedbiomed_would(item, message):
    with pytest.raises(AnsibleFilterError, match=message):
        dataset_spec(item)


def test_dataset_spec_accepts_comma_separated_tags():
    assert dataset_spec({'name': 'abc', 'path': '/x', 'tags': 'one, two'})['tags'] == ['one', 'two']


def test_training_plan_spec():
    assert training_plan_spec({'name': 'plan-a', 'file': 'files/p.py'}) == {
        'name': 'plan-a', 'path': '/fbm/training_plans/plan-a.py', 'description': 'approved in the inventory'}
    with pytest.raises(AnsibleFilterError, match='file'):
        training_plan_spec({'name': 'plan-a'})


def test_smoke_rounds_of():
    experiments = {'torch': {'trained_per_round': {'0': ['A', 'B'], '1': ['A']}}, 'perc': {'trained_per_round': {}}}
    assert smoke_rounds_of('A', experiments) == {'perc': [], 'torch': [0, 1]}
    assert smoke_rounds_of('B', experiments) == {'perc': [], 'torch': [0]}
    # analytics and refusal probes train no rounds: they are left out
    assert smoke_rounds_of('A', dict(experiments, mean={'max_abs_error': 0.0})) == {'perc': [], 'torch': [0, 1]}


def test_status_rows_and_table_hide_secrets():
    registry = {'h1': {'type': 'node', 'address': '10.221.0.2', 'public_key': 'K1', 'psk': 'SECRET'},
                'r': {'type': 'researcher', 'address': '10.222.0.2', 'public_key': 'K2', 'psk': 'SECRET'},
                'new': {'type': 'node', 'address': '10.221.0.3', 'public_key': None, 'psk': 'SECRET'}}
    peers = status_peers(registry)
    assert 'SECRET' not in repr(peers)
    wg = {'public_key': 'S', 'implementation': 'wireguard-go', 'implementation_version': '0.0.20231211-1+b9', 'peers': [
        {'public_key': 'K1', 'latest_handshake': 990, 'transfer_rx': 2048, 'transfer_tx': 1024},
        {'public_key': 'K2', 'latest_handshake': 0, 'transfer_rx': 0, 'transfer_tx': 0}]}
    server = {'address': '10.220.0.1', 'now': 1000, 'wg': wg,
              'container': {'name': 'fbm-vpnserver', 'state': 'running', 'health': 'healthy', 'engine': 'docker'}}
    clients = {'h1': {'container': 'fbm-node-h1', 'state': 'running', 'health': 'healthy', 'engine': 'podman',
                      'status': {'role': 'node', 'state': 'running', 'datasets': 2, 'approved_plans': 1,
                                 'vpn': {'implementation': 'kernel', 'implementation_version': '1.0.0'}}},
               'r': {'container': 'vpn-client-r', 'state': 'running', 'health': 'healthy',
                     'status': {'implementation': 'wireguard-go', 'implementation_version': 'unknown'}}}
    rows = status_rows(peers, server, clients)
    by_peer = dict((r['peer'], r) for r in rows)
    assert by_peer['h1']['handshake'] == '10 s' and by_peer['h1']['transfer'] == '2.0 KiB / 1.0 KiB'
    assert by_peer['r']['handshake'] == 'never' and by_peer['new']['handshake'] == 'no key'
    assert by_peer['h1']['fedbiomed'] == 'running, 2 datasets, 1 approved plans'
    assert by_peer['new']['state'] == 'unknown'
    # the WireGuard implementation and version each container runs
    assert by_peer['(server)']['wireguard'] == 'wireguard-go 0.0.20231211-1+b9'
    assert by_peer['h1']['wireguard'] == 'kernel 1.0.0' and by_peer['r']['wireguard'] == 'wireguard-go unknown'
    assert by_peer['new']['wireguard'] == '-'
    # the engine of the host each container runs on
    assert by_peer['(server)']['engine'] == 'docker' and by_peer['h1']['engine'] == 'podman'
    assert by_peer['new']['engine'] == '-'
    table = status_table(rows)
    assert 'ENGINE' in table[0] and 'podman' in table[2]
    assert table[0].startswith('PEER') and len(table) == 5 and 'SECRET' not in '\n'.join(table)


def test_a_peer_linked_locally_shows_its_link_not_a_handshake():
    peers = status_peers({'r': {'type': 'researcher', 'address': '10.222.0.2', 'link': 'local'}})
    assert peers == [{'name': 'r', 'type': 'researcher', 'address': '10.222.0.2', 'public_key': None, 'link': 'local'}]
    server = {'address': '10.220.0.1', 'now': 1000, 'wg': {'peers': []},
              'container': {'name': 'fbm-vpnserver', 'state': 'running', 'health': 'healthy'}}
    clients = {'r': {'container': 'fbm-researcher', 'state': 'running', 'health': 'healthy',
                     'status': {'role': 'researcher', 'state': 'running',
                                'vpn': {'link': 'local', 'implementation': 'local', 'implementation_version': 'eth0'}}}}
    row = status_rows(peers, server, clients)[1]
    assert row['handshake'] == 'local link' and row['wireguard'] == 'local eth0' and row['transfer'] == '-'
