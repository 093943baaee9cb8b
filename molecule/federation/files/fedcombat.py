"""A preprocessing round (Fed-ComBat) over the datasets tagged cohort,rig, then one training
round on the harmonized data: every node keeps a dataset derived from its declared one.
Prints one JSON line: the datasets the nodes derived, by node id."""
import json

import torch
from fedbiomed.common.constants import PreprocType
from fedbiomed.common.datamanager import DataManager
from fedbiomed.common.dataset import TabularDataset
from fedbiomed.common.training_plans import TorchTrainingPlan
from fedbiomed.researcher.aggregators.fedavg import FedAverage
from fedbiomed.researcher.federated_workflows import Experiment


class CohortPlan(TorchTrainingPlan):
    def init_dependencies(self):
        return ["from fedbiomed.common.dataset import TabularDataset", "import torch"]

    def init_model(self, model_args):
        return torch.nn.Linear(4, 1)

    def init_optimizer(self, optimizer_args):
        return torch.optim.SGD(self.model().parameters(), lr=0.001)

    def training_step(self, data, target):
        return torch.nn.functional.mse_loss(self.model().forward(data).view(-1), target.view(-1))

    def training_data(self):
        dataset = TabularDataset(input_columns=[0, 1, 2, 3], target_columns=[4],
                                 transform=lambda xs: torch.as_tensor(xs, dtype=torch.float32),
                                 target_transform=lambda ys: torch.as_tensor(ys, dtype=torch.float32))
        return DataManager(dataset=dataset, shuffle=True)


exp = Experiment(tags=['cohort', 'rig'], training_plan_class=CohortPlan, model_args={},
                 training_args={'loader_args': {'batch_size': 10}, 'epochs': 1}, round_limit=1,
                 aggregator=FedAverage(), node_selection_strategy=None)
# headerless CSV columns are named column_1, column_2, ...
exp.set_preprocessing(PreprocType.FEDCOMBAT, {'covariates': ['column_1'],
                                              'phenotypes': ['column_2', 'column_3', 'column_4']})
exp.run_once(increase=True)
print('FEDCOMBAT ' + json.dumps(dict((node, entry.get('parent_dataset_id'))
                                     for node, entry in exp.training_data().data().items())))
