"""One rule for the controller paths an inventory gives (plans, GUI certificates, archive
directories): relative to the declaring host's inventory directory, for the validation and
for the tasks that copy the files alike (plugin_utils/inventory_paths.py, filter
inventory_path)."""
import os

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.federated.vpn.plugins.filter.paths import inventory_path
from ansible_collections.federated.vpn.plugins.plugin_utils.inventory_paths import check_archive_dir, check_path


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """The current directory: a directory of its own, neither the inventory's nor the checkout."""
    cwd = tmp_path / 'cwd'
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


def test_a_relative_path_is_taken_from_the_inventory_directory(elsewhere):
    assert inventory_path('plans/lung.py', '/srv/inventory') == '/srv/inventory/plans/lung.py'
    assert inventory_path('../shared/lung.py', '/srv/inventory') == '/srv/inventory/../shared/lung.py'


def test_an_absolute_path_is_kept(elsewhere):
    assert inventory_path('/etc/plans/lung.py', '/srv/inventory') == '/etc/plans/lung.py'


def test_home_is_expanded(elsewhere, monkeypatch):
    monkeypatch.setenv('HOME', '/home/it')
    assert inventory_path('~/plans/lung.py', '/srv/inventory') == '/home/it/plans/lung.py'
    assert inventory_path('plans/lung.py', '~/inventory') == '/home/it/inventory/plans/lung.py'


@pytest.mark.parametrize('inventory_dir', [None, ''])
def test_a_host_of_no_inventory_file_takes_the_current_directory(elsewhere, inventory_dir):
    assert inventory_path('plans/lung.py', inventory_dir) == str(elsewhere / 'plans' / 'lung.py')


@pytest.mark.parametrize('path', [None, ''])
def test_the_filter_refuses_an_empty_path(path):
    with pytest.raises(AnsibleFilterError, match='empty'):
        inventory_path(path, '/srv/inventory')


def test_check_path_looks_where_the_filter_points(tmp_path, elsewhere):
    inventory = tmp_path / 'inventory'
    (inventory / 'plans').mkdir(parents=True)
    (inventory / 'plans' / 'lung.py').write_text('# plan\n')
    (elsewhere / 'plans').mkdir()
    (elsewhere / 'plans' / 'only-here.py').write_text('# plan\n')
    hv = {'inventory_dir': str(inventory)}
    errors = []
    assert check_path('h1: x.file', 'plans/lung.py', hv, errors) == str(inventory / 'plans' / 'lung.py')
    assert errors == []
    # there relative to the current directory, not to the inventory directory
    check_path('h1: x.file', 'plans/only-here.py', hv, errors)
    assert errors == ['h1: x.file: %s does not exist on the controller (plans/only-here.py, relative to the '
                      'inventory directory)' % (inventory / 'plans' / 'only-here.py')]


def test_check_path_wants_a_file_or_a_directory(tmp_path):
    hv = {'inventory_dir': str(tmp_path)}
    (tmp_path / 'archives').mkdir()
    errors = []
    check_path('h1: f', 'archives', hv, errors)
    check_path('h1: d', 'archives', hv, errors, directory=True)
    check_path('h1: d', str(tmp_path / 'none'), hv, errors, directory=True)
    assert errors == ['h1: f: %s does not exist on the controller (archives, relative to the inventory directory)'
                      % (tmp_path / 'archives'),
                      'h1: d: %s does not exist on the controller as a directory' % (tmp_path / 'none')]


@pytest.mark.parametrize('hv, message', [
    ({}, None),
    ({'container_host_image_source': 'build', 'container_host_archive_dir': 'nowhere'}, None),
    ({'container_host_image_source': 'load', 'container_host_archive_dir': 'archives'}, None),
    ({'container_host_image_source': 'load'}, 'h1: container_host_archive_dir: empty, while '
                                              'container_host_image_source is load'),
    ({'container_host_image_source': 'load', 'container_host_archive_dir': 'images'},
     'h1: container_host_archive_dir: {inv}/images does not exist on the controller as a directory '
     '(images, relative to the inventory directory)'),
])
def test_the_archive_directory_of_a_host_that_loads_images(tmp_path, elsewhere, hv, message):
    inventory = tmp_path / 'inventory'
    (inventory / 'archives').mkdir(parents=True)
    (elsewhere / 'images').mkdir()
    errors = []
    check_archive_dir('h1', dict(hv, inventory_dir=str(inventory)), errors)
    assert errors == ([message.replace('{inv}', str(inventory))] if message else [])


def test_the_roles_and_the_validation_use_the_one_filter():
    """Every task that reads a controller file the inventory names goes through inventory_path."""
    root = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'roles')
    uses = {
        'node/tasks/instance.yml': ['item.file | federated.vpn.inventory_path(inventory_dir | default(none))'],
        'gui/tasks/instance.yml': ['gui_settings.certificate | federated.vpn.inventory_path(inventory_dir',
                                   'gui_settings.private_key | federated.vpn.inventory_path(inventory_dir'],
        'container_host/tasks/deliver_load.yml': ['container_host_archive_dir | federated.vpn.inventory_path(inventory_dir'],
        'container_host/tasks/publish.yml': ['container_host_archive_dir | federated.vpn.inventory_path(inventory_dir'],
    }
    for path, snippets in uses.items():
        with open(os.path.join(root, path)) as handle:
            text = handle.read()
        for snippet in snippets:
            assert snippet in text, (path, snippet)
