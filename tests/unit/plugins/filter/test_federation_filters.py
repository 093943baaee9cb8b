"""Which federation a container belongs to (labels, or for unlabelled containers the state
directory they mount)."""
import pytest

from ansible_collections.federated.vpn.plugins.filter.federation import (
    LABEL_FEDBIOMED_VERSION, fedbiomed_downgrade, federation_clashes, federation_labels, peer_carriers)

STATE = '/var/lib/federated-vpn/server'


def container(name, labels=None, mounts=()):
    return {'Names': ['/' + name], 'Labels': labels,
            'Mounts': [{'Type': 'bind', 'Source': source, 'Destination': '/x'} for source in mounts]}


CLAIM = [{'name': 'fbm-vpnserver', 'state': STATE}]


def test_free_name_and_own_container_are_fine():
    assert federation_clashes([], CLAIM, 'fbm') == []
    assert federation_clashes([container('fbm-vpnserver', federation_labels('fbm', STATE))], CLAIM, 'fbm') == []
    # a name that only contains the wanted one (the engine's name filter matches substrings)
    assert federation_clashes([container('fbm-vpnserver-old', {'x': 'y'})], CLAIM, 'fbm') == []


def test_another_state_directory_is_another_federation():
    other = container('fbm-vpnserver', federation_labels('fbm', '/tmp/test/server'))
    problems = federation_clashes([other], CLAIM, 'fbm', 'vpn')
    assert len(problems) == 1
    assert problems[0].startswith('vpn: container fbm-vpnserver belongs to federation fbm (state /tmp/test/server)')
    assert 'federation_name' in problems[0] and 'Nothing was changed on vpn' in problems[0]


def test_another_name_is_another_federation():
    other = container('fbm-vpnserver', federation_labels('lab', STATE))
    assert 'federation lab' in federation_clashes([other], CLAIM, 'fbm')[0]


def test_unlabelled_containers_are_ours_only_if_they_serve_our_state():
    assert federation_clashes([container('fbm-vpnserver', None, [STATE])], CLAIM, 'fbm') == []
    assert federation_clashes([container('fbm-vpnserver', {}, [STATE + '/sub'])], CLAIM, 'fbm') == []
    foreign = federation_clashes([container('fbm-vpnserver', {}, [STATE + '-other', '/srv'])], CLAIM, 'fbm')
    assert 'no federation of this collection' in foreign[0] and STATE + '-other' in foreign[0]
    assert 'mounts nothing' in federation_clashes([container('fbm-vpnserver')], CLAIM, 'fbm')[0]


def test_claims_of_prefixed_names():
    from ansible_collections.federated.vpn.plugins.filter.federation import federation_claims
    assert federation_claims(['h1-a', 'h1-b'], 'fbm-node-', '/srv/nodes') == [
        {'name': 'fbm-node-h1-a', 'state': '/srv/nodes'}, {'name': 'fbm-node-h1-b', 'state': '/srv/nodes'}]
    assert federation_claims([], 'fbm-vpn-', '/srv/peers') == []


def running(name, release, federation='fbm'):
    labels = dict(federation_labels(federation, STATE))
    if release:
        labels[LABEL_FEDBIOMED_VERSION] = release
    return container(name, labels)


def test_same_or_newer_release_is_no_downgrade():
    containers = [running('fbm-researcher', '6.4.0'), running('fbm-node-a', '6.4.1')]
    assert fedbiomed_downgrade(containers, 'fbm', '6.4.1', 'lab') == ''
    assert fedbiomed_downgrade(containers, 'fbm', '6.10.0', 'lab') == ''
    assert fedbiomed_downgrade([], 'fbm', '6.4.1') == ''


def test_older_release_names_host_variable_and_containers():
    containers = [running('fbm-node-a', '6.4.1'), running('fbm-node-b', '6.4.1'), running('fbm-gui-b', '6.5.0rc1'),
                  running('fbm-researcher', '6.4.0')]
    problem = fedbiomed_downgrade(containers, 'fbm', '6.4.0', 'hospital1')
    assert problem.startswith('hospital1: federation_fedbiomed_version is 6.4.0, but fbm-node-a, fbm-node-b run '
                              'Fed-BioMed 6.4.1; fbm-gui-b runs Fed-BioMed 6.5.0rc1: a downgrade.')
    assert 'Nothing was changed' in problem and '-e allow_downgrade=true' in problem
    assert 'fbm-researcher' not in problem
    assert fedbiomed_downgrade(containers, 'fbm', '6.4.0', 'hospital1', allowed=True) == ''


def test_unlabelled_and_other_federations_do_not_count():
    containers = [running('fbm-node-a', None), running('x-node-a', '7.0.0', federation='x'),
                  container('unrelated', {LABEL_FEDBIOMED_VERSION: '7.0.0'})]
    assert fedbiomed_downgrade(containers, 'fbm', '6.4.0') == ''


@pytest.mark.parametrize('wanted', ['latest', '', '6.4.1; rm -rf /', None])
def test_wanted_release_must_be_a_release_number(wanted):
    for allowed in (False, True):
        problem = fedbiomed_downgrade([], 'fbm', wanted, 'hospital1', allowed)
        assert problem.startswith('hospital1: federation_fedbiomed_version %r is not a release number' % wanted)


def test_each_peer_is_carried_by_its_own_container_or_a_tunnel_only_one():
    peers = [{'name': 'h1-a', 'type': 'node'}, {'name': 'lab', 'type': 'researcher'},
             {'name': 'laptop', 'type': 'management'}]
    carriers = peer_carriers(peers, 'fbm-node-', 'fbm-researcher', 'fbm-vpn-')
    assert [(c['peer'], c['container'], c['carrier']) for c in carriers] == [
        ('h1-a', 'fbm-node-h1-a', 'own'), ('h1-a', 'fbm-vpn-h1-a', 'tunnel'),
        ('lab', 'fbm-researcher', 'own'), ('lab', 'fbm-vpn-lab', 'tunnel'),
        ('laptop', 'fbm-vpn-laptop', 'tunnel')]
    assert set(c['type'] for c in carriers if c['peer'] == 'lab') == {'researcher'}
