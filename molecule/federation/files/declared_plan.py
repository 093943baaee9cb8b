from fedbiomed.common.training_plans import FedPerceptron
from fedbiomed.common.datamanager import DataManager
from fedbiomed.common.dataset import TabularDataset


class DeclaredPlan(FedPerceptron):
    """A plan a hospital reviewed and approved by declaring it in the inventory."""

    def init_dependencies(self):
        return ["from fedbiomed.common.dataset import TabularDataset"]

    def training_data(self):
        return DataManager(dataset=TabularDataset(input_columns=[0, 1, 2, 3], target_columns=[4]), shuffle=True)
