"""The same container descriptions on a rootless Podman host (container_engine: podman):
containers.podman's modules, the digest label deciding what is re-created, and the
engine's listing in the shape its readers know."""
from unittest import mock

import pytest

from ansible_collections.federated.vpn.plugins.action.container import ActionModule as Container
from ansible_collections.federated.vpn.plugins.action.container_exec import ActionModule as ContainerExec
from ansible_collections.federated.vpn.plugins.action.container_info import ActionModule as ContainerInfo
from ansible_collections.federated.vpn.plugins.action.engine_info import ActionModule as EngineInfo
from ansible_collections.federated.vpn.plugins.plugin_utils import container_engine

PODMAN = {'container_engine': 'podman'}
TUNNEL = dict(
    name='fbm-node-hospital1',
    image='federated-vpn/fedbiomed:0.1.0-6.4.1',
    labels={'federated-vpn.federation': 'fbm'},
    capabilities=['NET_ADMIN'],
    devices=['/dev/net/tun'],
    env={'VPN_MTU': '1420'},
    mounts=[{'source': '/home/fvpn/peers/hospital1', 'target': '/etc/wireguard', 'read_only': True},
            {'source': '/home/fvpn/nodes/hospital1/fbm', 'target': '/fbm/node'}],
)
DIGEST = container_engine.description_digest(dict(TUNNEL, mounts=[dict(TUNNEL['mounts'][0]),
                                                                  dict(TUNNEL['mounts'][1], read_only=False)]))


def inspected(digest=DIGEST, status='running', image='abc123'):
    """One container as podman_container_info returns it."""
    return {'Id': 'c1', 'Name': TUNNEL['name'], 'Image': image, 'ImageName': 'localhost/' + TUNNEL['image'],
            'State': {'Status': status, 'Running': status == 'running'},
            'Config': {'Labels': {'federated-vpn.federation': 'fbm', 'federated-vpn.description': digest}}}


def engine(answers):
    """A stand-in for _execute_module answering from {module short name: result}; the calls
    it saw are in .calls as (module, args)."""
    calls = []

    def execute(module_name, module_args, task_vars):
        calls.append((module_name.split('.')[-1], module_args))
        return dict(answers.get(module_name.split('.')[-1], {'changed': True}))
    execute.calls = calls
    return execute


def run(run_action, action_class, args, answers, task_vars=None, check_mode=False):
    execute = engine(answers)
    with mock.patch.object(action_class, '_execute_module', side_effect=execute):
        result = run_action(action_class, args, check_mode=check_mode, task_vars=dict(PODMAN, **(task_vars or {})))
    return execute.calls, result


UNIT = 'federated-vpn@fbm-node-hospital1.service'


def test_a_new_container_is_created_rootless_and_started_by_its_systemd_user_unit(run_action):
    calls, result = run(run_action, Container, dict(TUNNEL, published_ports=['127.0.0.1:8443:8443']),
                        {'podman_container_info': {'containers': []}, 'podman_image_info': {'images': []},
                         'podman_container': {'changed': True, 'container': {'Id': 'c2'}}})
    assert calls[:2] == [('podman_container_info', {'name': ['fbm-node-hospital1']}),
                         ('podman_image_info', {'name': ['federated-vpn/fedbiomed:0.1.0-6.4.1']})]
    assert calls[2] == ('systemd_service', {'name': UNIT, 'scope': 'user', 'state': 'stopped'})
    assert calls[4] == ('systemd_service', {'name': UNIT, 'scope': 'user', 'state': 'restarted', 'enabled': True})
    module, args = calls[3]
    digest = container_engine.description_digest(dict(
        TUNNEL, published_ports=['127.0.0.1:8443:8443'],
        mounts=[dict(TUNNEL['mounts'][0]), dict(TUNNEL['mounts'][1], read_only=False)]))
    assert module == 'podman_container' and args == {
        'name': 'fbm-node-hospital1', 'image': 'federated-vpn/fedbiomed:0.1.0-6.4.1', 'state': 'created',
        'recreate': True, 'userns': 'keep-id:uid=2101,gid=2101', 'user': '0:0',
        'log_driver': 'k8s-file', 'network': ['slirp4netns:port_handler=slirp4netns'],
        'label': {'federated-vpn.federation': 'fbm', 'federated-vpn.description': digest},
        'cap_add': ['NET_ADMIN', 'NET_RAW'], 'device': ['/dev/net/tun:/dev/net/tun:rwm'], 'env': {'VPN_MTU': '1420'},
        'publish': ['127.0.0.1:8443:8443'],
        'mount': ['type=bind,source=/home/fvpn/peers/hospital1,destination=/etc/wireguard,ro=true',
                  'type=bind,source=/home/fvpn/nodes/hospital1/fbm,destination=/fbm/node'],
    }
    assert result['changed'] and result['container'] == {'Id': 'c2'}
    assert result['ansible_facts'] == {'federation_engine_stale': True}


def test_check_mode_predicts_with_podman_container_alone(run_action):
    calls, result = run(run_action, Container, dict(TUNNEL), {'podman_container_info': {'containers': []},
                                                              'podman_image_info': {'images': []}}, check_mode=True)
    assert [module for module, _args in calls] == ['podman_container_info', 'podman_image_info', 'podman_container']
    assert result['changed']


@pytest.mark.parametrize('failing', ['systemd_service', 'podman_container'])
def test_a_failure_stops_there(run_action, failing):
    calls, result = run(run_action, Container, dict(TUNNEL), {
        'podman_container_info': {'containers': []}, 'podman_image_info': {'images': []},
        failing: {'failed': True, 'msg': 'no such unit'}})
    assert calls[-1][0] == failing and result['failed'] and result['msg'] == 'no such unit'


def test_the_exec_form_entrypoint_and_a_network_of_its_own(run_action):
    calls, _result = run(run_action, Container, {'name': 'c', 'image': 'i', 'entrypoint': ['/bin/x', '-v'],
                                                 'network': 'fbm-vpn-local'}, {})
    args = [args for module, args in calls if module == 'podman_container'][0]
    assert args['entrypoint'] == '["/bin/x", "-v"]' and args['network'] == ['fbm-vpn-local']


@pytest.mark.parametrize('task_vars', [
    pytest.param({}, id='no listing'),
    pytest.param({'federation_engine': {'containers': [], 'images': []}}, id='empty listing'),
    pytest.param({'federation_engine_stale': True}, id='stale listing'),
])
def test_a_container_running_as_described_is_read_first_and_left(run_action, task_vars):
    calls, result = run(run_action, Container, dict(TUNNEL), {
        'podman_container_info': {'containers': [inspected()]},
        'podman_image_info': {'images': [{'Id': 'abc123', 'RepoTags': ['localhost/' + TUNNEL['image']]}]}},
        task_vars=task_vars)
    assert [module for module, _args in calls] == ['podman_container_info', 'podman_image_info']
    assert calls[0][1] == {'name': ['fbm-node-hospital1']}
    assert not result['changed'] and 'ansible_facts' not in result


def test_the_run_s_first_listing_spares_the_read(run_action):
    listing = container_engine.podman_listing(
        [inspected()], [{'Id': 'abc123', 'RepoTags': ['localhost/' + TUNNEL['image']]}], [])
    calls, result = run(run_action, Container, dict(TUNNEL), {}, task_vars={'federation_engine': listing})
    assert calls == [] and not result['changed']


@pytest.mark.parametrize('container, image', [
    pytest.param(inspected(digest='other'), 'abc123', id='described otherwise'),
    pytest.param(inspected(status='exited'), 'abc123', id='stopped'),
    pytest.param(inspected(), 'def456', id='its image moved'),
])
def test_a_container_not_as_described_is_re_created(run_action, container, image):
    calls, result = run(run_action, Container, dict(TUNNEL), {
        'podman_container_info': {'containers': [container]},
        'podman_image_info': {'images': [{'Id': image, 'RepoTags': ['localhost/' + TUNNEL['image']]}]}})
    assert calls[-2][0] == 'podman_container' and calls[-2][1]['recreate'] and result['changed']


def test_an_image_delivered_in_the_run_is_compared_by_its_id(run_action):
    calls, result = run(run_action, Container, dict(TUNNEL), {'podman_container_info': {'containers': [inspected()]}},
                        task_vars={'container_host_image_ids': {TUNNEL['image']: 'abc123'}})
    assert [module for module, _args in calls] == ['podman_container_info'] and not result['changed']


def test_a_restart_is_the_unit_s(run_action):
    calls, _result = run(run_action, Container, {'name': 'c', 'state': 'restarted'}, {})
    assert calls == [('systemd_service', {'name': 'federated-vpn@c.service', 'scope': 'user', 'state': 'restarted'})]


@pytest.mark.parametrize('unit, changed', [({'changed': True}, True), ({'changed': False}, False),
                                           ({'failed': True, 'msg': 'Could not find the requested service'}, False)])
def test_a_removal_disables_the_unit_then_removes_the_container(run_action, unit, changed):
    calls, result = run(run_action, Container, {'name': 'c', 'state': 'absent'},
                        {'systemd_service': unit, 'podman_container': {'changed': False}})
    assert calls == [('systemd_service', {'name': 'federated-vpn@c.service', 'scope': 'user', 'state': 'stopped',
                                          'enabled': False}),
                     ('podman_container', {'name': 'c', 'state': 'absent'})]
    assert result['changed'] == changed and not result.get('failed')


def test_check_mode_asks_podman_whether_the_network_exists(run_action):
    calls, result = run(run_action, Container, dict(TUNNEL, network='fbm-vpn-local'),
                        {'podman_network_info': {'failed': True, 'msg': 'no such network'}}, check_mode=True)
    assert calls == [('podman_network_info', {'name': 'fbm-vpn-local'})] and result['changed']


def test_exec_without_standard_input(run_action):
    calls, _result = run(run_action, ContainerExec, {'container': 'c', 'argv': ['vpn-status'], 'user': '2101'},
                         {'podman_container_exec': {'rc': 0, 'stdout': '{}'}})
    assert calls == [('podman_container_exec', {'name': 'c', 'argv': ['vpn-status'], 'user': '2101'})]


def test_exec_standard_input_travels_in_the_environment(run_action):
    calls, _result = run(run_action, ContainerExec, {'container': 'c', 'argv': ['fbm-sync', '--check'],
                                                     'stdin': '{"datasets": []}', 'env': {'A': 'b'}},
                         {'podman_container_exec': {'rc': 0}})
    assert calls[0][1] == {'name': 'c', 'env': {'A': 'b', 'FVPN_STDIN': '{"datasets": []}'},
                           'argv': ['sh', '-c', 'printf %s "$FVPN_STDIN" | "$@"', 'sh', 'fbm-sync', '--check']}


def test_a_command_that_cannot_run_names_the_podman_container_state_and_log(run_action):
    stopped = inspected(status='exited')
    stopped['State']['ExitCode'] = 1
    calls, result = run(run_action, ContainerExec, {'container': 'c', 'argv': ['vpn-status']}, {
        'podman_container_exec': {'changed': True, 'rc': 255, 'stderr': 'Error: can only exec into running containers\n'},
        'podman_container_info': {'containers': [stopped]},
        'command': {'rc': 0, 'stdout': 'wg0 down\n', 'stderr': 'Name or service not known: vpn-server:51820\n'}})
    assert [module for module, _args in calls] == ['podman_container_exec', 'podman_container_info', 'command']
    # the log file belongs to the user namespace's root: podman reads it
    assert calls[2][1] == {'argv': ['podman', 'logs', '--tail', '10', 'fbm-node-hospital1']}
    assert result['msg'].startswith('container c is exited (exit code 1); its log ends: wg0 down | '
                                    'Name or service not known: vpn-server:51820')
    assert result['msg'].endswith('(Error: can only exec into running containers)')


def test_a_command_that_ran_and_failed_is_its_own_answer(run_action):
    calls, result = run(run_action, ContainerExec, {'container': 'c', 'argv': ['false']},
                        {'podman_container_exec': {'changed': True, 'rc': 1, 'stderr': ''}})
    assert len(calls) == 1 and result['rc'] == 1


def test_podman_listing_in_docker_host_info_shape(run_action):
    calls, result = run(run_action, EngineInfo, {}, {
        'podman_container_info': {'containers': [inspected()]},
        'podman_image_info': {'images': [{'Id': 'abc123', 'RepoTags': ['localhost/federated-vpn/wireguard:0.1.0']}]},
        'podman_network_info': {'networks': [{'name': 'podman', 'subnets': [{'subnet': '10.88.0.0/16'}]}]}})
    assert [module for module, _args in calls] == ['podman_container_info', 'podman_image_info', 'podman_network_info']
    assert result['engine'] == 'podman' and result['engine_answers'] and not result['changed']
    assert result['containers'] == [{
        'Id': 'c1', 'Names': ['/fbm-node-hospital1'], 'Image': 'localhost/federated-vpn/fedbiomed:0.1.0-6.4.1',
        'ImageID': 'abc123', 'State': 'running',
        'Labels': {'federated-vpn.federation': 'fbm', 'federated-vpn.description': DIGEST}}]
    tags = ['localhost/federated-vpn/wireguard:0.1.0', 'federated-vpn/wireguard:0.1.0']
    assert result['images'] == [{'Id': 'abc123', 'RepoTags': tags}]
    assert result['networks'] == [{'Name': 'podman', 'IPAM': {'Config': [{'Subnet': '10.88.0.0/16'}]}},
                                  {'Name': 'slirp4netns', 'IPAM': {'Config': [{'Subnet': '10.0.2.0/24'}]}}]


def test_podman_that_does_not_answer(run_action):
    _calls, result = run(run_action, EngineInfo, {}, {
        'podman_container_info': {'failed': True, 'msg': 'Failed to find required executable "podman"'}})
    assert result == {'engine': 'podman', 'engine_answers': False, 'changed': False,
                      'msg': 'Failed to find required executable "podman"'}


def test_docker_listing_gains_engine_answers(run_action):
    calls, result = run(run_action, EngineInfo, {}, {'docker_host_info': {
        'can_talk_to_docker': False, 'failed': True, 'msg': 'Error connecting'}}, task_vars={'container_engine': 'docker'})
    assert calls == [('docker_host_info', {'networks': True, 'containers': True, 'containers_all': True,
                                           'images': True, 'verbose_output': True})]
    assert result['engine'] == 'docker' and not result['engine_answers'] and 'failed' not in result


@pytest.mark.parametrize('tag, short', [('localhost/a/b:1', 'a/b:1'), ('docker.io/library/debian:12', 'debian:12'),
                                        ('docker.io/a/b:1', 'a/b:1'), ('registry.example.org/a/b:1', 'registry.example.org/a/b:1')])
def test_short_names(tag, short):
    assert container_engine.short_name(tag) == short


@pytest.mark.parametrize('hv, problem', [
    ({}, None),
    ({'container_engine': 'docker'}, None),
    ({'container_engine': 'podman', 'container_host_image_source': 'load'}, None),
    ({'container_engine': 'podman', 'container_host_image_source': 'pull'}, None),
    ({'container_engine': 'rkt'}, "h1: container_engine 'rkt' is not one of docker, podman"),
    ({'container_engine': 'podman'}, "h1: container_host_image_source 'build': a host with container_engine podman "
                                     "takes its images by load or pull (set container_host_image_source)"),
    ({'container_engine': 'podman', 'container_host_image_source': 'local'}, 'container_host_image_source'),
])
def test_the_engine_of_a_host_is_validated(hv, problem):
    problems = container_engine.engine_problems('h1', hv)
    assert problems == [] if problem is None else len(problems) == 1 and problem in problems[0]


def test_mount_sources_under_the_user_s_home_are_made_absolute(run_action):
    tilde = dict(TUNNEL, mounts=[{'source': '~/.local/share/federated-vpn/peers/hospital1', 'target': '/etc/wireguard'}])
    calls, _result = run(run_action, Container, tilde, {'podman_container_info': {'containers': []},
                                                        'podman_image_info': {'images': []}},
                         task_vars={'ansible_user_dir': '/home/fvpn'})
    args = [args for module, args in calls if module == 'podman_container'][0]
    assert args['mount'] == ['type=bind,source=/home/fvpn/.local/share/federated-vpn/peers/hospital1,'
                             'destination=/etc/wireguard']
    absolute = dict(tilde, mounts=[{'source': '/home/fvpn/.local/share/federated-vpn/peers/hospital1',
                                    'target': '/etc/wireguard', 'read_only': False}])
    assert args['label']['federated-vpn.description'] == container_engine.description_digest(absolute)


def test_container_info_in_one_shape(run_action):
    _calls, result = run(run_action, ContainerInfo, {'name': 'fbm-node-hospital1'},
                         {'podman_container_info': {'containers': [inspected()]}})
    assert result['exists'] and result['container']['State']['Status'] == 'running' and result['engine'] == 'podman'
    assert 'containers' not in result
    _calls, result = run(run_action, ContainerInfo, {'name': 'gone'}, {'podman_container_info': {'containers': []}})
    assert not result['exists'] and result['container'] is None
    calls, result = run(run_action, ContainerInfo, {'name': 'c'}, {'docker_container_info': {'exists': False}},
                        task_vars={'container_engine': 'docker'})
    assert calls == [('docker_container_info', {'name': 'c'})] and result['engine'] == 'docker' and not result['exists']
