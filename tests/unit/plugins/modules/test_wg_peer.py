import contextlib
import fcntl
import io
import json
import multiprocessing
import os
import stat

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.federated.vpn.plugins.module_utils import peer_registry as reg
from ansible_collections.federated.vpn.plugins.module_utils import wg_live
from ansible_collections.federated.vpn.plugins.module_utils import wireguard as wg
from ansible_collections.federated.vpn.plugins.modules import wg_peer

SETTINGS = {
    'network': '10.220.0.0/14', 'address': '10.220.0.1', 'port': 51820, 'endpoint': '192.0.2.2:51820',
    'pools': {'management': '10.220.0.0/16', 'node': '10.221.0.0/16', 'researcher': '10.222.0.0/16'},
    'private_key_file': 'server.key',
}


@pytest.fixture
def state_dir(tmp_path):
    directory = tmp_path / 'server'
    directory.mkdir(mode=0o700)
    wg.atomic_write(str(directory / 'settings.json'), json.dumps(SETTINGS))
    wg.atomic_write(str(directory / 'server.key'), wg.generate_private_key() + '\n')
    return str(directory)


def pub():
    return wg.public_key(wg.generate_private_key())


def conf(state_dir):
    return open(os.path.join(state_dir, 'wg0.conf')).read()


def registry(state_dir):
    return reg.load_registry(state_dir, reg.load_settings(state_dir))


def test_four_step_register(run_module, state_dir):
    a = dict(state_dir=state_dir, name='hospital-a', type='node', public_key=pub())
    steps = [run_module(wg_peer, a, check_mode=True), run_module(wg_peer, a),
             run_module(wg_peer, a, check_mode=True), run_module(wg_peer, a)]
    assert [s['changed'] for s in steps] == [True, True, False, False]
    done = steps[3]
    assert done['address'] == '10.221.0.2' and done['interface_address'] == '10.221.0.2/14'
    assert done['endpoint'] == '192.0.2.2:51820' and done['allowed_ips'] == ['10.220.0.0/14']
    assert done['psk'] == steps[1]['psk'] and wg.is_valid_key(done['psk'])
    assert done['server_public_key'] == wg.public_key(wg.read_private_key(os.path.join(state_dir, 'server.key')))
    for name in ('peers.json', 'wg0.conf'):
        assert stat.S_IMODE(os.stat(os.path.join(state_dir, name)).st_mode) == 0o600
    assert a['public_key'] in conf(state_dir) and done['psk'] in conf(state_dir)


def test_check_mode_writes_nothing(run_module, state_dir):
    run_module(wg_peer, dict(state_dir=state_dir, name='a', type='node', public_key=pub()), check_mode=True)
    assert sorted(os.listdir(state_dir)) == ['server.key', 'settings.json']


def test_four_step_remove(run_module, state_dir):
    key = pub()
    run_module(wg_peer, dict(state_dir=state_dir, name='a', type='node', public_key=key))
    a = dict(state_dir=state_dir, name='a', state='absent')
    steps = [run_module(wg_peer, a, check_mode=True), run_module(wg_peer, a),
             run_module(wg_peer, a, check_mode=True), run_module(wg_peer, a)]
    assert [s['changed'] for s in steps] == [True, True, False, False]
    assert steps[1]['removed'] == ['a'] and key not in conf(state_dir)


def test_bad_key_rejected_and_not_echoed(run_module, state_dir):
    bad = 'A' * 43 + '!'
    result = run_module(wg_peer, dict(state_dir=state_dir, name='a', type='node', public_key=bad))
    assert result['failed'] and 'public key of peer a' in result['msg'] and bad not in result['msg']
    assert not os.path.exists(os.path.join(state_dir, 'peers.json'))


def test_rotation_replaces_key(run_module, state_dir):
    old, new = pub(), pub()
    first = run_module(wg_peer, dict(state_dir=state_dir, name='a', type='node', public_key=old))
    second = run_module(wg_peer, dict(state_dir=state_dir, name='a', type='node', public_key=new))
    assert second['changed'] and second['address'] == first['address'] and second['psk'] == first['psk']
    assert new in conf(state_dir) and old not in conf(state_dir) and conf(state_dir).count('[Peer]') == 1


def test_bulk_exclusive_purge(run_module, state_dir):
    keys = dict((n, pub()) for n in ('r', 'n1', 'n2'))
    peers = [dict(name='r', type='researcher', public_key=keys['r']),
             dict(name='n1', type='node', public_key=keys['n1']),
             dict(name='n2', type='node', public_key=keys['n2'])]
    first = run_module(wg_peer, dict(state_dir=state_dir, peers=peers, exclusive=True))
    assert sorted(first['peers']) == ['n1', 'n2', 'r'] and first['peers']['r']['address'] == '10.222.0.2'
    # a peer listed without key (a host outside --limit) keeps its key and address
    limited = [dict(name='r', type='researcher'), dict(name='n1', type='node'), peers[2]]
    same = run_module(wg_peer, dict(state_dir=state_dir, peers=limited, exclusive=True))
    assert not same['changed'] and same['peers'] == first['peers']
    purged = run_module(wg_peer, dict(state_dir=state_dir, peers=peers[:2], exclusive=True), diff=True)
    assert purged['changed'] and purged['removed'] == ['n2'] and keys['n2'] not in conf(state_dir)
    assert first['peers']['n2']['psk'] not in json.dumps(purged['diff'])


def test_render_only_and_genconf(run_module, state_dir):
    assert run_module(wg_peer, dict(state_dir=state_dir))['changed']
    assert '[Interface]' in conf(state_dir) and '[Peer]' not in conf(state_dir)
    assert not run_module(wg_peer, dict(state_dir=state_dir))['changed']
    gen = run_module(wg_peer, dict(state_dir=state_dir, name='laptop', type='management'))
    assert gen['changed'] and gen['address'] == '10.220.0.2' and gen['public_key'] is None
    assert '[Peer]' not in conf(state_dir)


def test_server_key_never_returned(run_module, state_dir):
    private = wg.read_private_key(os.path.join(state_dir, 'server.key'))
    result = run_module(wg_peer, dict(state_dir=state_dir, name='a', type='node', public_key=pub()), diff=True)
    assert private not in json.dumps(result)
    assert result['psk'] not in json.dumps(result['diff'])


def test_missing_settings(run_module, tmp_path):
    empty = str(tmp_path)
    assert 'vpnserver role' in run_module(wg_peer, dict(state_dir=empty, name='a', type='node'))['msg']
    assert run_module(wg_peer, dict(state_dir=str(tmp_path / 'none'), name='a', type='node'), check_mode=True)['changed']


# ------------------------------------------------------------------ live apply

def parse_conf(text):
    port, peers, current = 0, {}, None
    for line in text.splitlines():
        key, dummy, value = [p.strip() for p in line.partition(' = ')]
        if line.strip() == '[Peer]':
            current = {}
        elif key == 'ListenPort':
            port = int(value)
        elif current is not None and key in ('PublicKey', 'PresharedKey', 'AllowedIPs'):
            current[key] = line.split('=', 1)[1].strip()
            if key == 'AllowedIPs':
                peers[current['PublicKey']] = (current['PresharedKey'], (current['AllowedIPs'],))
    return port, peers


class FakeLive:
    """Stands in for the server container's interface; syncconf reads the host file."""
    instances = []

    def __init__(self, container, interface='wg0', docker_host=None, client=None):
        self.container_name, self.interface = container, interface
        self.public, self.port, self.peers, self.syncs = FakeLive.identity, 0, {}, 0
        FakeLive.instances.append(self)

    def container(self):
        return None if FakeLive.missing else object()

    def is_running(self):
        return not FakeLive.missing

    def public_key(self):
        return self.public

    def state(self):
        return self.port, self.peers

    def syncconf(self, path):
        self.syncs += 1
        self.port, self.peers = parse_conf(open(path).read())


@pytest.fixture
def fake_live(monkeypatch, state_dir):
    FakeLive.instances = []
    FakeLive.missing = False
    FakeLive.identity = wg.public_key(wg.read_private_key(os.path.join(state_dir, 'server.key')))
    monkeypatch.setattr(wg_live, 'LiveInterface', FakeLive)
    monkeypatch.setattr(wg_live, 'HAS_DOCKER', True)
    return FakeLive


def live_args(state_dir, **kw):
    return dict(state_dir=state_dir, container='fbm-vpnserver',
                container_config_path=os.path.join(state_dir, 'wg0.conf'), **kw)


def test_live_sync_applies_then_is_idempotent(run_module, state_dir, fake_live):
    key = pub()
    first = run_module(wg_peer, live_args(state_dir, name='a', type='node', public_key=key))
    assert first['changed'] and first['live_changed'] and fake_live.instances[-1].syncs == 1
    assert key in fake_live.instances[-1].peers


def test_live_sync_fails_closed_on_foreign_identity(run_module, state_dir, fake_live):
    fake_live.identity = pub()
    result = run_module(wg_peer, live_args(state_dir, name='a', type='node', public_key=pub()))
    assert result['failed'] and 'failing closed' in result['msg']
    assert fake_live.instances[-1].syncs == 0


def test_live_container_missing(run_module, state_dir, fake_live):
    fake_live.missing = True
    assert run_module(wg_peer, live_args(state_dir, name='a', type='node'), check_mode=True)['live_changed']
    assert 'does not exist' in run_module(wg_peer, live_args(state_dir, name='a', type='node'))['msg']


def test_podman_engine_goes_through_podman_without_the_docker_sdk(run_module, state_dir, fake_live, monkeypatch):
    made = []

    def podman_live(container, interface, run, podman):
        made.append((container, podman))
        return FakeLive(container, interface)

    monkeypatch.setattr(wg_live, 'PodmanInterface', podman_live)
    monkeypatch.setattr(wg_live, 'HAS_DOCKER', False)
    monkeypatch.setattr(wg_peer.AnsibleModule, 'get_bin_path', lambda self, name, required=False: '/usr/bin/' + name)
    key = pub()
    result = run_module(wg_peer, live_args(state_dir, name='a', type='node', public_key=key, engine='podman'))
    assert result['live_changed'] and made == [('fbm-vpnserver', '/usr/bin/podman')]
    assert key in fake_live.instances[-1].peers


# ------------------------------------------------------------------ concurrency

def _register_many(state_dir, prefix, count, barrier):
    barrier.wait()
    for i in range(count):
        args = dict(state_dir=state_dir, name='%s-%d' % (prefix, i), type='node', public_key=pub(),
                    _ansible_check_mode=False, _ansible_diff=False)
        with patch_module_args(args), contextlib.redirect_stdout(io.StringIO()):
            try:
                wg_peer.main()
            except SystemExit:
                pass


def test_concurrent_registrations_lose_nothing(state_dir):
    ctx = multiprocessing.get_context('fork')
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_register_many, args=(state_dir, p, 25, barrier)) for p in ('x', 'y')]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
        assert proc.exitcode == 0
    peers = registry(state_dir)
    assert len(peers) == 50
    assert len(set(e['address'] for e in peers.values())) == 50
    assert conf(state_dir).count('[Peer]') == 50


# ------------------------------------------------------ hostile and lost input

B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'


def test_a_name_ending_in_a_newline_is_refused(run_module, state_dir):
    run_module(wg_peer, dict(state_dir=state_dir, name='n1', type='node', public_key=pub()))
    before = conf(state_dir)
    result = run_module(wg_peer, dict(state_dir=state_dir, name='n1\n', type='node', public_key=pub()))
    assert result['failed'] and 'peer name' in result['msg']
    assert conf(state_dir) == before and list(registry(state_dir)) == ['n1']


@pytest.mark.parametrize('spelling', ['zero', 'other-spelling'])
def test_zero_and_non_canonical_keys_are_refused(run_module, state_dir, spelling):
    key = pub()
    run_module(wg_peer, dict(state_dir=state_dir, name='a', type='node', public_key=key))
    bad = ('A' * 43 + '=') if spelling == 'zero' else key[:42] + B64[B64.index(key[42]) ^ 1] + '='
    result = run_module(wg_peer, dict(state_dir=state_dir, name='b', type='node', public_key=bad))
    assert result['failed'] and 'public key of peer b' in result['msg']
    assert list(registry(state_dir)) == ['a'] and conf(state_dir).count('[Peer]') == 1


def test_lost_registry_fails_closed_and_rewrites_nothing(run_module, state_dir):
    peers = [dict(name=n, type='node', public_key=pub()) for n in ('h1', 'h2')]
    run_module(wg_peer, dict(state_dir=state_dir, peers=peers, exclusive=True))
    before = conf(state_dir)
    os.unlink(os.path.join(state_dir, 'peers.json'))
    for check_mode in (True, False):
        for args in (dict(state_dir=state_dir, name='h3', type='node', public_key=pub()), dict(state_dir=state_dir)):
            result = run_module(wg_peer, args, check_mode=check_mode)
            assert result['failed'] and not result.get('changed'), result
            assert 'peers.json is missing' in result['msg'] and '2 peer(s) (h1, h2)' in result['msg']
    assert conf(state_dir) == before and not os.path.exists(os.path.join(state_dir, 'peers.json'))


def test_lost_registry_with_live_peers_fails_closed(run_module, state_dir, fake_live):
    fake_live_peers = {pub(): ('psk', ('10.221.0.2/32',))}
    real_init = FakeLive.__init__

    def init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        self.peers = fake_live_peers
    FakeLive.__init__ = init
    try:
        for args in (live_args(state_dir, name='h3', type='node', public_key=pub()),
                     live_args(state_dir, apply_live=False)):
            result = run_module(wg_peer, args)
            assert result['failed'] and 'running interface has 1 peer' in result['msg']
    finally:
        FakeLive.__init__ = real_init
    assert not os.path.exists(os.path.join(state_dir, 'wg0.conf'))


def test_a_corrupt_registry_stops_before_wg0_conf_is_written(run_module, state_dir):
    key = pub()
    run_module(wg_peer, dict(state_dir=state_dir, name='a', type='node', public_key=key))
    before = conf(state_dir)
    path = os.path.join(state_dir, 'peers.json')
    data = json.load(open(path))
    data['peers']['a']['public_key'] = key + '\n\n[Peer]\nPublicKey = ' + pub()
    wg.atomic_write(path, json.dumps(data))
    for text in (None, '[]', 'null'):
        if text is not None:
            wg.atomic_write(path, text)
        result = run_module(wg_peer, dict(state_dir=state_dir, name='b', type='node', public_key=pub()))
        assert result['failed'] and result['msg'].startswith(path + ': '), result
        assert conf(state_dir) == before


def test_live_apply_happens_under_the_registry_lock(run_module, state_dir, fake_live):
    seen = []
    real_sync = FakeLive.syncconf

    def syncconf(self, path):
        fd = os.open(os.path.join(state_dir, '.lock'), os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            seen.append('free')
            fcntl.flock(fd, fcntl.LOCK_UN)
        except BlockingIOError:
            seen.append('held')
        finally:
            os.close(fd)
        real_sync(self, path)
    FakeLive.syncconf = syncconf
    try:
        result = run_module(wg_peer, live_args(state_dir, name='a', type='node', public_key=pub()))
    finally:
        FakeLive.syncconf = real_sync
    assert result['live_changed'] and seen == ['held']


def test_apply_live_false_only_reads(run_module, state_dir, fake_live):
    result = run_module(wg_peer, live_args(state_dir, name='a', type='node', public_key=pub(), apply_live=False))
    assert result['changed'] and not result['live_changed'] and fake_live.instances[-1].syncs == 0
