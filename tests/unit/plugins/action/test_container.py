"""A container described once (federated.vpn.container, container_exec) and run by the
engine's own module: the translation in plugin_utils/container_engine.py."""
from unittest import mock

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.federated.vpn.plugins.action.container import ActionModule as Container
from ansible_collections.federated.vpn.plugins.action.container_exec import ActionModule as ContainerExec
from ansible_collections.federated.vpn.plugins.plugin_utils import container_engine

TUNNEL = dict(
    name='vpn-client-hospital1',
    image='federated-vpn/wireguard:0.1.0',
    labels={'federated-vpn.federation': 'demo'},
    capabilities=['NET_ADMIN'],
    devices=['/dev/net/tun'],
    env={'VPN_MTU': '1420'},
    mounts=[{'source': '/etc/federated-vpn/client/hospital1', 'target': '/etc/wireguard', 'read_only': True},
            {'source': '/var/lib/federated-vpn/node', 'target': '/fbm/node'}],
)

# as the validated description gives it (read_only defaults to false)
DIGEST = container_engine.description_digest(dict(TUNNEL, mounts=[dict(TUNNEL['mounts'][0]),
                                                                  dict(TUNNEL['mounts'][1], read_only=False)]))


@pytest.fixture
def engine_call(run_action):
    """engine_call(action class, args, check_mode=False, task_vars=None) -> (module name, module args,
    result); (None, None, result) when the engine's module was not called."""
    def call(action_class, args, check_mode=False, task_vars=None, changed=True):
        with mock.patch.object(action_class, '_execute_module',
                               return_value={'changed': changed, 'container': {'Id': 'x'}}) as execute:
            result = run_action(action_class, args, check_mode=check_mode, task_vars=task_vars)
        if not execute.called:
            return None, None, result
        return execute.call_args.kwargs['module_name'], execute.call_args.kwargs['module_args'], result
    return call


def test_started_container_is_docker_container_with_the_federation_restart_policy(engine_call):
    module, args, result = engine_call(Container, dict(TUNNEL))
    assert module == 'community.docker.docker_container'
    assert args == {
        'name': 'vpn-client-hospital1', 'image': 'federated-vpn/wireguard:0.1.0', 'state': 'started',
        'restart': False, 'restart_policy': 'unless-stopped',
        'labels': {'federated-vpn.federation': 'demo',
                   'federated-vpn.description': DIGEST},
        'capabilities': ['NET_ADMIN'],
        'devices': ['/dev/net/tun:/dev/net/tun:rwm'], 'env': {'VPN_MTU': '1420'},
        'mounts': [{'type': 'bind', 'source': '/etc/federated-vpn/client/hospital1', 'target': '/etc/wireguard',
                    'read_only': True},
                   {'type': 'bind', 'source': '/var/lib/federated-vpn/node', 'target': '/fbm/node'}],
    }
    assert result['changed'] and result['container'] == {'Id': 'x'}


def test_options_not_given_are_not_compared(engine_call):
    _module, args, _result = engine_call(Container, {'name': 'c', 'image': 'i'})
    assert args == {'name': 'c', 'image': 'i', 'state': 'started', 'restart': False, 'restart_policy': 'unless-stopped',
                    'labels': {'federated-vpn.description': container_engine.description_digest({'image': 'i'})}}


def test_an_empty_command_stays_empty(engine_call):
    _module, args, _result = engine_call(Container, {'name': 'c', 'image': 'i', 'entrypoint': ['/bin/x'], 'command': []})
    assert args['command'] == [] and args['entrypoint'] == ['/bin/x']


def test_restarted_compares_nothing(engine_call):
    _module, args, _result = engine_call(Container, {'name': 'c', 'state': 'restarted'})
    assert args == {'name': 'c', 'state': 'started', 'restart': True, 'comparisons': {'*': 'ignore'}}


@pytest.mark.parametrize('force_kill', [False, True])
def test_absent(engine_call, force_kill):
    _module, args, _result = engine_call(Container, {'name': 'c', 'state': 'absent', 'force_kill': force_kill})
    assert args == {'name': 'c', 'state': 'absent', 'force_kill': force_kill}


@pytest.mark.parametrize('args, words', [
    ({'name': 'c'}, 'image'),
    ({'name': 'c', 'image': 'i', 'mounts': [{'source': '/a'}]}, 'target'),
    ({'name': 'c', 'image': 'i', 'state': 'running'}, 'state'),
    ({'name': 'c', 'image': 'i', 'published_port': ['1:1']}, 'published_port'),
])
def test_a_bad_description_fails_naming_the_option_before_the_engine_is_called(run_action, args, words):
    with mock.patch.object(Container, '_execute_module') as execute:
        with pytest.raises(AnsibleActionFail, match=words):
            run_action(Container, args)
    assert not execute.called


def test_exec_passes_the_given_options(engine_call):
    module, args, _result = engine_call(ContainerExec, {'container': 'c', 'argv': ['wg', 'show'], 'user': 'fedbiomed'})
    assert module == 'community.docker.docker_container_exec'
    assert args == {'container': 'c', 'argv': ['wg', 'show'], 'user': 'fedbiomed'}


@pytest.mark.parametrize('state, restarts, usable, words', [
    ({'Status': 'restarting', 'Running': True, 'Restarting': True, 'ExitCode': 1}, 4, False,
     'is restarting (last exit code 1, restarted 4 times)'),
    ({'Status': 'running', 'Running': True, 'ExitCode': 0}, 4, False, 'keeps restarting (restarted 4 times)'),
    ({'Status': 'exited', 'Running': False, 'ExitCode': 137}, 0, False, 'is exited (exit code 137)'),
    ({'Status': 'running', 'Running': True, 'ExitCode': 0}, 0, True, 'is running'),
])
def test_the_state_of_a_container_a_command_could_not_run_in(state, restarts, usable, words):
    info = {'exists': True, 'container': {'State': state, 'RestartCount': restarts, 'LogPath': '/var/log/c.json',
                                          'HostConfig': {'LogConfig': {'Type': 'json-file'}}}}
    assert container_engine.docker_state(info)[:2] == (usable, words)


def test_a_missing_container_and_a_log_docker_does_not_keep_in_a_file():
    assert container_engine.docker_state({'exists': False}) == (False, 'does not exist', None)
    journald = {'exists': True, 'container': {'State': {'Status': 'exited'}, 'LogPath': '',
                                              'HostConfig': {'LogConfig': {'Type': 'journald'}}}}
    assert container_engine.docker_state(journald)[2] is None


def test_json_file_log_lines():
    text = '{"log":"wg0 up\\n","stream":"stdout"}\n{"log":"Name or service not known\\n","stream":"stderr"}\nnot json'
    assert container_engine.docker_log_lines(text) == ['wg0 up', 'Name or service not known', 'not json']


def listing(digest=None, state='running', container_image='sha256:old', tagged_image='sha256:old'):
    """docker_host_info's verbose listing with the tunnel container as described."""
    return {
        'containers': [{'Names': ['/vpn-client-hospital1'], 'State': state, 'ImageID': container_image,
                        'Labels': {'federated-vpn.federation': 'demo',
                                   'federated-vpn.description': digest or DIGEST}}],
        'images': [{'Id': tagged_image, 'RepoTags': ['federated-vpn/wireguard:0.1.0']}],
    }


@pytest.mark.parametrize('check_mode', [False, True])
def test_a_container_listed_running_as_described_is_left_without_calling_the_engine(engine_call, check_mode):
    module, _args, result = engine_call(Container, dict(TUNNEL), check_mode=check_mode,
                                        task_vars={'federation_engine': listing()})
    assert module is None and not result['changed'] and 'ansible_facts' not in result


@pytest.mark.parametrize('task_vars', [
    pytest.param({}, id='no listing'),
    pytest.param({'federation_engine': listing(digest='other')}, id='described otherwise'),
    pytest.param({'federation_engine': listing(state='exited')}, id='stopped'),
    pytest.param({'federation_engine': listing(tagged_image='sha256:new')}, id='tag moved before the run'),
    pytest.param({'federation_engine': listing(), 'container_host_image_ids': {'federated-vpn/wireguard:0.1.0': 'sha256:new'}},
                 id='image delivered in the run'),
    pytest.param({'federation_engine': listing(), 'container_host_image_ids': {'federated-vpn/wireguard:0.1.0': None}},
                 id='delivery without an ID (check mode)'),
    pytest.param({'federation_engine': listing(), 'federation_engine_stale': True}, id='a container changed since'),
    pytest.param({'federation_engine': {'containers': [], 'images': []}}, id='not there'),
])
def test_the_engine_decides_unless_the_listing_still_holds(engine_call, task_vars):
    module, _args, result = engine_call(Container, dict(TUNNEL), task_vars=task_vars)
    assert module == 'community.docker.docker_container' and result['changed']


def test_an_image_delivered_with_the_same_id_still_counts_as_described(engine_call):
    module, _args, _result = engine_call(Container, dict(TUNNEL), task_vars={
        'federation_engine': listing(tagged_image='sha256:stale'),
        'container_host_image_ids': {'federated-vpn/wireguard:0.1.0': 'sha256:old'}})
    assert module is None


@pytest.mark.parametrize('args', [dict(TUNNEL, restart=True), {'name': 'vpn-client-hospital1', 'state': 'restarted'},
                                  {'name': 'vpn-client-hospital1', 'state': 'absent'}])
def test_restarts_and_removals_always_reach_the_engine(engine_call, args):
    module, _args, _result = engine_call(Container, args, task_vars={'federation_engine': listing()})
    assert module == 'community.docker.docker_container'


def test_a_change_makes_the_listing_stale_on_this_host(engine_call):
    _module, _args, result = engine_call(Container, {'name': 'c', 'state': 'absent'})
    assert result['ansible_facts'] == {'federation_engine_stale': True}
    _module, _args, result = engine_call(Container, {'name': 'c', 'state': 'absent'}, changed=False)
    assert 'ansible_facts' not in result


def test_the_digest_is_of_the_description_only():
    digest = container_engine.description_digest(TUNNEL)
    assert container_engine.description_digest(dict(TUNNEL, name='other', state='started', restart=True)) == digest
    assert container_engine.description_digest(dict(TUNNEL, env={'VPN_MTU': '1280'})) != digest


def test_a_network_is_the_containers_only_one_and_part_of_its_description(engine_call):
    module, args, _result = engine_call(Container, dict(TUNNEL, network='fbm-vpn-local'))
    assert module == 'community.docker.docker_container'
    assert args['network_mode'] == 'fbm-vpn-local' and args['networks'] == [{'name': 'fbm-vpn-local'}]
    digest = container_engine.description_digest(TUNNEL)
    assert container_engine.description_digest(dict(TUNNEL, network='fbm-vpn-local')) != digest
    # a container on the engine's own network keeps the digest it had before the option existed
    assert container_engine.description_digest(dict(TUNNEL, network=None)) == digest


def test_check_mode_predicts_a_container_on_a_network_the_run_has_not_made_yet(run_action):
    calls = []

    def execute(module_name, module_args, task_vars):
        calls.append(module_name)
        return {'exists': False} if module_name.endswith('network_info') else {'changed': True}
    with mock.patch.object(Container, '_execute_module', side_effect=execute):
        result = run_action(Container, dict(TUNNEL, network='fbm-vpn-local'), check_mode=True)
    assert calls == ['community.docker.docker_network_info']
    assert result['changed'] and 'fbm-vpn-local' in result['msg']
    calls.clear()
    with mock.patch.object(Container, '_execute_module', side_effect=lambda **kw: (
            calls.append(kw['module_name']) or ({'exists': True} if kw['module_name'].endswith('network_info')
                                                else {'changed': False}))):
        result = run_action(Container, dict(TUNNEL, network='fbm-vpn-local'), check_mode=True)
    assert calls == ['community.docker.docker_network_info', 'community.docker.docker_container']
    assert not result['changed']
