"""fbm-sync's plan for datasets: any declared state to any other in one run, checked before
the first write. The plan is pure Python; Fed-BioMed itself is exercised by the federation
scenario."""
import importlib.machinery
import importlib.util
import json
import os

import pytest

PATH = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'images', 'fedbiomed', 'fbm-sync')


def load():
    loader = importlib.machinery.SourceFileLoader('fbm_sync', PATH)
    spec = importlib.util.spec_from_loader('fbm_sync', loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


fbm_sync = load()


def wanted(name, tags, source=None, description='d', data_type='csv'):
    source = source or '/srv/%s.csv' % name
    return {'name': name, 'tags': sorted(tags), 'source': source, 'description': description,
            'data_type': data_type, 'path': '/data/%s/%s' % (name, os.path.basename(source))}


def entry(item, dataset_id=None):
    return dict(item, dataset_id=dataset_id or 'dataset_%s' % item['name'])


def registered(*items):
    existing = dict((i['name'], entry(i)) for i in items)
    managed = dict((i['name'], {'source': i['source']}) for i in items)
    return existing, managed


def names(steps):
    return dict((kind, sorted((item or old)['name'] for item, old in pairs)) for kind, pairs in steps.items() if pairs)


def test_nothing_declared_changes_nothing():
    a = wanted('cohort-a', ['cohort', 'rig'])
    assert names(fbm_sync.plan_datasets([a], *registered(a))) == {}


def test_rename_with_the_same_source_keeps_the_dataset():
    a = wanted('cohort-a', ['cohort', 'rig'])
    renamed = wanted('cohort-a2', ['cohort', 'rig'], source=a['source'])
    steps = fbm_sync.plan_datasets([renamed], *registered(a))
    assert names(steps) == {'rename': ['cohort-a2']}
    assert steps['rename'][0][1]['dataset_id'] == 'dataset_cohort-a'


def test_tags_and_description_change_in_place():
    a = wanted('cohort-a', ['cohort', 'rig'])
    steps = fbm_sync.plan_datasets([wanted('cohort-a', ['cohort', 'rig', 'v2'], description='new')], *registered(a))
    assert names(steps) == {'update': ['cohort-a']}


@pytest.mark.parametrize('change', [{'source': '/elsewhere/cohort-a.csv'}, {'data_type': 'images'},
                                    {'source': '/srv/other-file.csv'}])
def test_new_data_is_registered_again(change):
    a = wanted('cohort-a', ['cohort', 'rig'])
    b = wanted('cohort-a', ['cohort', 'rig'], **change)
    assert names(fbm_sync.plan_datasets([b], *registered(a))) == {'replace': ['cohort-a']}


def test_removed_and_added():
    a, b = wanted('cohort-a', ['a-tag']), wanted('cohort-b', ['b-tag'])
    assert names(fbm_sync.plan_datasets([b], *registered(a))) == {'remove': ['cohort-a'], 'add': ['cohort-b']}


def test_a_new_dataset_may_take_the_tags_of_one_that_leaves():
    a = wanted('cohort-a', ['cohort'])
    b = wanted('cohort-b', ['cohort'])
    assert names(fbm_sync.plan_datasets([b], *registered(a))) == {'remove': ['cohort-a'], 'add': ['cohort-b']}


def test_two_datasets_may_swap_tags():
    a, b = wanted('cohort-a', ['first']), wanted('cohort-b', ['second'])
    swapped = [wanted('cohort-a', ['second']), wanted('cohort-b', ['first'])]
    assert names(fbm_sync.plan_datasets(swapped, *registered(a, b))) == {'update': ['cohort-a', 'cohort-b']}


def test_a_name_registered_outside_the_inventory_is_refused():
    a = wanted('cohort-a', ['cohort'])
    existing, dummy = registered(a)
    with pytest.raises(fbm_sync.SyncError, match='dataset "cohort-a": a dataset of that name is already registered'):
        fbm_sync.plan_datasets([a], existing, {})


def test_tags_conflicting_with_a_dataset_outside_the_inventory_are_refused():
    gui = wanted('from-the-gui', ['cohort'])
    existing, dummy = registered(gui)
    with pytest.raises(fbm_sync.SyncError, match=r'dataset "cohort-a": its tags \[\'cohort\', \'rig\'\] conflict '
                                                 r'with those of dataset "from-the-gui" registered on the node outside'):
        fbm_sync.plan_datasets([wanted('cohort-a', ['cohort', 'rig'])], existing, {})


def test_tags_conflicting_between_declared_datasets_are_refused():
    with pytest.raises(fbm_sync.SyncError, match='conflict with those of dataset "cohort-b" declared beside it'):
        fbm_sync.plan_datasets([wanted('cohort-a', ['cohort']), wanted('cohort-b', ['cohort', 'v2'])], {}, {})


def test_the_names_of_older_releases_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr(fbm_sync, 'ROOT', str(tmp_path))
    (tmp_path / 'var').mkdir()
    (tmp_path / 'var' / 'federated-vpn-inventory-datasets.json').write_text(json.dumps(['cohort-a']))
    assert fbm_sync.load_managed('datasets') == {'cohort-a': {}}
    fbm_sync.save_managed('datasets', {'cohort-a': {'source': '/srv/a.csv'}})
    assert fbm_sync.load_managed('datasets') == {'cohort-a': {'source': '/srv/a.csv'}}
    # a registration recorded without its source is not taken for new data
    a = wanted('cohort-a', ['cohort'])
    existing, dummy = registered(a)
    assert names(fbm_sync.plan_datasets([a], existing, {'cohort-a': {}})) == {}


def test_failures_are_one_line_with_the_list_they_belong_to(capsys):
    with pytest.raises(SystemExit):
        fbm_sync.fail(str(fbm_sync.SyncError({'name': 'p'}, 'bad', 'training_plans')), 'training_plans')
    out = json.loads(capsys.readouterr().out)
    assert out == {'failed': True, 'msg': 'training plan "p": bad', 'changed': False, 'kind': 'training_plans'}
    assert fbm_sync.one_line(ValueError('FB322: first\nsecond')) == 'FB322: first'


def node_root(tmp_path, monkeypatch, *items, managed=None):
    """A node component as Fed-BioMed leaves it: config.ini naming the TinyDB file."""
    monkeypatch.setattr(fbm_sync, 'ROOT', str(tmp_path))
    for directory in ('etc', 'var'):
        (tmp_path / directory).mkdir()
    (tmp_path / 'etc' / 'config.ini').write_text('[default]\ndb = ../var/db_NODE_x.json\n')
    (tmp_path / 'var' / 'db_NODE_x.json').write_text(json.dumps(
        {'Datasets': dict((str(n), entry(i)) for n, i in enumerate(items))}))
    fbm_sync.save_managed('datasets', managed if managed is not None else registered(*items)[1])


def test_the_fast_path_sees_what_the_plan_sees(tmp_path, monkeypatch):
    a = wanted('cohort-a', ['cohort', 'rig'])
    node_root(tmp_path, monkeypatch, a)
    assert fbm_sync.nothing_to_do({'datasets': [a]})
    for change in ({'description': 'new'}, {'tags': ['cohort']}, {'source': '/elsewhere/cohort-a.csv'}):
        assert not fbm_sync.nothing_to_do({'datasets': [dict(a, **change)]})
    assert not fbm_sync.nothing_to_do({'datasets': []})


def test_the_fast_path_leaves_conflicts_and_forgotten_names_to_the_full_run(tmp_path, monkeypatch):
    a = wanted('cohort-a', ['cohort'])
    node_root(tmp_path, monkeypatch, a, managed={})
    assert not fbm_sync.nothing_to_do({'datasets': [a]})  # registered outside the inventory
    b = wanted('cohort-b', ['cohort-b'])
    (tmp_path / 'second').mkdir()
    node_root(tmp_path / 'second', monkeypatch, b, managed={'cohort-b': {}, 'gone': {}})
    assert not fbm_sync.nothing_to_do({'datasets': [b]})  # a name recorded but no longer registered
