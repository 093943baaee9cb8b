import os
import stat

from ansible_collections.federated.vpn.plugins.modules import secret_file


def test_four_step_and_secret_stays(run_module, tmp_path):
    path = str(tmp_path / 'secrets' / 'token')
    steps = [run_module(secret_file, {'path': path}, check_mode=True), run_module(secret_file, {'path': path}),
             run_module(secret_file, {'path': path}, check_mode=True), run_module(secret_file, {'path': path})]
    assert [s['changed'] for s in steps] == [True, True, False, False]
    secret = open(path).read().strip()
    assert len(secret) == 64 and int(secret, 16) >= 0
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert all(secret not in repr(s) for s in steps)


def test_regenerate_and_mode(run_module, tmp_path):
    path = str(tmp_path / 'token')
    run_module(secret_file, {'path': path})
    first = open(path).read()
    assert run_module(secret_file, {'path': path, 'regenerate': 'always'})['changed']
    assert open(path).read() != first
    os.chmod(path, 0o644)
    assert run_module(secret_file, {'path': path})['changed']
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert run_module(secret_file, {'path': path, 'mode': '0640'})['changed']
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert run_module(secret_file, {'path': path, 'size': 4})['failed']
