# The training plan fl.hospital-b.example.org approves in the example inventory
# (node_instances[0].training_plans[0].file; a relative path starts at the inventory
# directory). The hospital reviews this file; the node registers it as approved, so that it
# trains only on a plan with this exact code. A researcher sends it from a notebook:
#   Experiment(training_plan_class=LungModel, model_args={'in_features': 8},
#              training_args={'epochs': 2, 'optimizer_args': {'lr': 1e-3},
#                             'loader_args': {'batch_size': 32}}, tags=['cohort', '2024'], ...)
# Data: the hospital's csv (tags cohort, 2024), features in its first in_features columns,
# the outcome (0 or 1) in the next one.
import torch
from fedbiomed.common.datamanager import DataManager
from fedbiomed.common.dataset import TabularDataset
from fedbiomed.common.training_plans import TorchTrainingPlan


class LungModel(TorchTrainingPlan):
    """A small two-layer classifier of one yes/no outcome from tabular features."""

    # Nodes re-create the plan from its class source and these imports only
    def init_dependencies(self):
        return ["from fedbiomed.common.dataset import TabularDataset",
                "import torch"]

    def init_model(self, model_args):
        return torch.nn.Sequential(torch.nn.Linear(model_args['in_features'], 16), torch.nn.ReLU(),
                                   torch.nn.Dropout(0.2), torch.nn.Linear(16, 2))

    def init_optimizer(self, optimizer_args):
        return torch.optim.Adam(self.model().parameters(), lr=optimizer_args['lr'])

    def training_step(self, data, target):
        return torch.nn.functional.cross_entropy(self.model().forward(data), target.long().view(-1))

    def training_data(self):
        features = self.model_args()['in_features']
        dataset = TabularDataset(
            input_columns=list(range(0, features)), target_columns=[features],
            transform=lambda xs: torch.as_tensor(xs, dtype=torch.float32),
            target_transform=lambda ys: torch.as_tensor(ys, dtype=torch.float32))
        return DataManager(dataset=dataset, shuffle=True)
