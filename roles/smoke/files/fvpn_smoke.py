"""federated.vpn smoke test: a real federated training across every node instance.

    export-plans --out DIR                    (researcher) the training plans' sources, exactly
                                              as the researcher sends them: nodes approve these
    run --tags T --expect ID[,ID...]          (researcher) the experiments named by --models,
        [--rounds 2] [--wait 120]             FedAverage, over every node; prints one JSON line
        [--models M,...] [--forced ID,...]    and exits 1 unless every expected node trained in
                                              every round

Experiments (--models): perceptron and torch-mlp in the clear (--rounds rounds); torch-mlp-lom
and torch-mlp-jls, one round of the MLP under secure aggregation (LOM, Joye-Libert);
mean-secagg, federated analytics: the mean of every column under secure aggregation, checked
against the mean computed here in the clear from the same data. Nodes named by --forced
enforce secure aggregation: they must refuse every round in the clear and join every secure one.

Every node holds its slice of the same problem (fvpn_smoke_data.py, beside this file), and
the researcher keeps a held-out slice to measure the aggregated models.
"""
import argparse
import json
import logging
import os
import re
import sys
import tempfile
import time
import uuid

import torch
from fedbiomed.common.datamanager import DataManager
from fedbiomed.common.dataset import TabularDataset
from fedbiomed.common.training_plans import FedPerceptron, TorchTrainingPlan

from fvpn_smoke_data import FEATURES, held_out, training_rows


# The training plans. Nodes re-create them from their source (class source plus
# init_dependencies), so everything they need is imported there.
class SmokePerceptronPlan(FedPerceptron):
    def init_dependencies(self):
        return ["from fedbiomed.common.dataset import TabularDataset"]

    def training_data(self):
        dataset = TabularDataset(input_columns=list(range(0, 20)), target_columns=[20])
        return DataManager(dataset=dataset, shuffle=True)


class SmokeTorchPlan(TorchTrainingPlan):
    def init_dependencies(self):
        return ["from fedbiomed.common.dataset import TabularDataset",
                "import torch"]

    def init_model(self, model_args):
        return torch.nn.Sequential(torch.nn.Linear(model_args['in_features'], 16), torch.nn.ReLU(),
                                   torch.nn.Linear(16, 2))

    def init_optimizer(self, optimizer_args):
        return torch.optim.Adam(self.model().parameters(), lr=optimizer_args['lr'])

    def training_step(self, data, target):
        return torch.nn.functional.cross_entropy(self.model().forward(data), target.long().view(-1))

    def training_data(self):
        dataset = TabularDataset(
            input_columns=list(range(0, 20)), target_columns=[20],
            transform=lambda xs: torch.as_tensor(xs, dtype=torch.float32),
            target_transform=lambda ys: torch.as_tensor(ys, dtype=torch.float32))
        return DataManager(dataset=dataset, shuffle=True)


def experiments():
    """(name, plan class, model args, training args, secure aggregation scheme or None)"""
    from fedbiomed.common.metrics import MetricTypes
    common = {'loader_args': {'batch_size': 16}, 'test_ratio': 0.2, 'test_metric': MetricTypes.ACCURACY,
              'test_on_global_updates': True}
    mlp = dict(common, epochs=2, optimizer_args={'lr': 1e-2})
    return [
        ('perceptron', SmokePerceptronPlan,
         {'max_iter': 1000, 'tol': 1e-3, 'n_features': FEATURES, 'n_classes': 2},
         dict(common, epochs=2), None),
        ('torch-mlp', SmokeTorchPlan, {'in_features': FEATURES}, mlp, None),
        ('torch-mlp-lom', SmokeTorchPlan, {'in_features': FEATURES}, mlp, 'lom'),
        ('torch-mlp-jls', SmokeTorchPlan, {'in_features': FEATURES}, mlp, 'jls'),
    ]


def plans():
    """The distinct plans the experiments send (the secure ones reuse the clear ones' plans)."""
    return [(name, plan, model_args, training_args)
            for name, plan, model_args, training_args, scheme in experiments() if scheme is None]


def secure_aggregation(scheme):
    if scheme is None:
        return False
    from fedbiomed.common.constants import SecureAggregationSchemes
    from fedbiomed.researcher.secagg import SecureAggregation
    return SecureAggregation(scheme={'lom': SecureAggregationSchemes.LOM,
                                     'jls': SecureAggregationSchemes.JOYE_LIBERT}[scheme])


def plan_source(plan_class, model_args, training_args):
    """The source the researcher sends for this plan (as Experiment builds it)."""
    from fedbiomed.common.training_args import TrainingArgs
    from fedbiomed.common.utils import import_class_object_from_file
    with tempfile.TemporaryDirectory() as directory:
        # a module name of its own: a second plan must not come from the import cache
        path = os.path.join(directory, 'smoke_plan_%s.py' % uuid.uuid4().hex)
        plan_class().save_code(path)
        dummy, plan = import_class_object_from_file(path, plan_class.__name__)
        plan.post_init(model_args=model_args, training_args=TrainingArgs(training_args, only_required=False),
                       initialize_optimizer=False)
        return plan.source()


def export_plans(args):
    os.makedirs(args.out, exist_ok=True)
    written = []
    for name, plan_class, model_args, training_args in plans():
        path = os.path.join(args.out, 'fvpn-smoke-%s.py' % name)
        with open(path, 'w') as handle:
            handle.write(plan_source(plan_class, model_args, training_args))
        written.append(path)
    print(json.dumps({'plans': written}))


def accuracy(name, exp, params):
    import numpy as np
    x, y = held_out()
    if name == 'perceptron':
        model = exp.training_plan().model()
        model.coef_, model.intercept_ = params['coef_'], params['intercept_']
        return float((model.predict(x) == y).mean())
    model = exp.training_plan().model()
    model.load_state_dict({k: torch.as_tensor(np.asarray(v)) for k, v in params.items()})
    with torch.no_grad():
        predicted = model(torch.as_tensor(x, dtype=torch.float32)).argmax(dim=1).numpy()
    return float((predicted == y).mean())


def wait_for_nodes(expected, timeout):
    """Start the researcher's gRPC server and wait until every expected node is connected.

    Experiment() reuses this (singleton) server; on its own it would search datasets as
    soon as one node answered and leave slower ones out.
    """
    from fedbiomed.researcher.config import config
    from fedbiomed.researcher.requests import Requests
    server = Requests(config=config)._grpc_server  # no public accessor in 6.4.1
    deadline = time.time() + timeout
    while True:
        connected = sorted(node.id for node in server.get_all_nodes())
        if set(expected) <= set(connected) or time.time() > deadline:
            return connected
        time.sleep(1)


def analytics_mean(tags, expected, parts):
    """Federated mean of every column under secure aggregation, against the clear mean."""
    import numpy as np
    from fedbiomed.researcher.federated_workflows import Experiment
    exp = Experiment(tags=[tags], secagg=True)
    found = sorted(exp.training_data().node_ids()) if exp.training_data() else []
    secure = np.asarray(flatten(exp.analytics.mean()), dtype=float)
    clear = training_rows(parts).mean(axis=0)
    error = float(np.max(np.abs(secure - clear))) if secure.shape == clear.shape else None
    return {'nodes_with_data': found, 'columns': int(secure.size), 'max_abs_error': error,
            'ok': found == expected and error is not None and error < 1e-3,
            'summary': 'mean of %d columns under secure aggregation (LOM): largest difference from the mean '
                       'in the clear %s' % (secure.size, error)}


def flatten(value):
    """The numbers of a (possibly nested) analytics result, in column order."""
    if isinstance(value, dict):
        return [x for key in sorted(value, key=column_key) for x in flatten(value[key])]
    if isinstance(value, (list, tuple)):
        return [x for item in value for x in flatten(item)]
    return [value]


def column_key(key):
    """Headerless CSV columns are named column_1, column_2, ...: in numeric order."""
    number = re.fullmatch(r'(?:column_)?(\d+)', str(key))
    return (0, int(number.group(1)), '') if number else (1, 0, str(key))


def train(name, plan_class, model_args, training_args, scheme, args, nodes):
    """Train on NODES (rounds in the clear leave out the nodes that enforce secure aggregation)."""
    from fedbiomed.researcher.aggregators.fedavg import FedAverage
    from fedbiomed.researcher.federated_workflows import Experiment
    rounds_wanted = 1 if scheme else args.rounds
    exp = Experiment(tags=[args.tags], nodes=nodes, model_args=model_args, training_plan_class=plan_class,
                     training_args=training_args, round_limit=rounds_wanted, aggregator=FedAverage(),
                     node_selection_strategy=None, secagg=secure_aggregation(scheme))
    found = sorted(exp.training_data().node_ids()) if exp.training_data() else []
    exp.run()
    rounds = {}
    for number, replies in sorted(exp.training_replies().items()):
        rounds[number] = sorted(r['node_id'] for r in replies.values() if r.get('success', True))
    last = max(exp.aggregated_params())
    result = {'nodes_with_data': found, 'trained_per_round': rounds, 'secure_aggregation': scheme or 'none',
              'held_out_accuracy': round(accuracy(name, exp, exp.aggregated_params()[last]['params']), 3)}
    result['ok'] = (set(nodes) <= set(found) and len(rounds) == rounds_wanted
                    and all(trained == nodes for trained in rounds.values()))
    result['summary'] = '%s (secure aggregation: %s): held-out accuracy %s' % (
        name, result['secure_aggregation'], result['held_out_accuracy'])
    return result


class Refusals(logging.Handler):
    """Collects the nodes whose training reply says secure aggregation could not be configured."""
    def __init__(self):
        super().__init__(logging.ERROR)
        self.nodes = set()

    def emit(self, record):
        message = record.getMessage()
        if 'Unsuccessful training reply' in message and 'secure aggregation' in message:
            self.nodes.update(re.findall(r'node = (\S+)', message))


def refusal(args, forced):
    """One round in the clear offered to the nodes that enforce secure aggregation only: each
    must answer that it refuses, and nothing may be aggregated."""
    from fedbiomed.researcher.aggregators.fedavg import FedAverage
    from fedbiomed.researcher.federated_workflows import Experiment
    name, plan_class, model_args, training_args = plans()[0]
    refusals = Refusals()
    logging.getLogger('fedbiomed').addHandler(refusals)
    exp = Experiment(tags=[args.tags], nodes=forced, model_args=model_args, training_plan_class=plan_class,
                     training_args=training_args, round_limit=1, aggregator=FedAverage(),
                     node_selection_strategy=None)
    try:
        exp.run()
    except SystemExit:  # Fed-BioMed ends a script whose round failed
        pass
    finally:
        logging.getLogger('fedbiomed').removeHandler(refusals)
    aggregated = bool(exp.aggregated_params())
    return {'plan': name, 'refused': sorted(refusals.nodes), 'aggregated': aggregated,
            'ok': sorted(refusals.nodes) == forced and not aggregated,
            'summary': 'a round in the clear, refused by %d of %d nodes that enforce secure aggregation'
                       % (len(refusals.nodes & set(forced)), len(forced))}


def run(args):
    expected = sorted(args.expect.split(','))
    forced = sorted(args.forced.split(',')) if args.forced else []
    started = time.time()
    report = {'expected_nodes': expected, 'experiments': {},
              'connected_nodes': wait_for_nodes(expected, args.wait)}
    report['seconds_to_connect'] = round(time.time() - started, 1)
    models = args.models.split(',')
    in_clear = sorted(set(expected) - set(forced))
    for name, plan_class, model_args, training_args, scheme in experiments():
        if name in models:
            report['experiments'][name] = train(name, plan_class, model_args, training_args, scheme, args,
                                                expected if scheme else in_clear)
    if forced:
        report['experiments']['refused-in-clear'] = refusal(args, forced)
    if 'mean-secagg' in models:
        report['experiments']['mean-secagg'] = analytics_mean(args.tags, expected, len(expected))
    report['ok'] = bool(report['experiments']) and all(r['ok'] for r in report['experiments'].values())
    print('FVPN-SMOKE ' + json.dumps(report, sort_keys=True))
    return 0 if report['ok'] else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest='command', required=True)
    plans = sub.add_parser('export-plans')
    plans.add_argument('--out', required=True)
    runner = sub.add_parser('run')
    runner.add_argument('--tags', required=True)
    runner.add_argument('--expect', required=True)
    runner.add_argument('--rounds', type=int, default=2)
    runner.add_argument('--models', default='perceptron,torch-mlp', help='which experiments to run')
    runner.add_argument('--forced', default='', help='node ids that enforce secure aggregation')
    runner.add_argument('--wait', type=int, default=120, help='seconds to wait for every node to connect')
    args = parser.parse_args()
    if args.command == 'export-plans':
        export_plans(args)
    else:
        sys.exit(run(args))


if __name__ == '__main__':
    main()
