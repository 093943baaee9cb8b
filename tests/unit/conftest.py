"""Make `ansible_collections.federated.vpn` importable from this checkout, and run
modules in-process the way Ansible would."""
import json
import os
import sys

from unittest import mock

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, '.collections'))

from ansible.module_utils.testing import patch_module_args  # noqa: E402


def invoke(capsys, module, args, check_mode=False, diff=False):
    """Run module.main() with args; return its JSON result (exit_json or fail_json)."""
    full = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    with patch_module_args(full):
        with pytest.raises(SystemExit):
            module.main()
    out = capsys.readouterr().out
    return json.loads(out)


@pytest.fixture
def run_module(capsys):
    def runner(module, args, check_mode=False, diff=False):
        return invoke(capsys, module, args, check_mode, diff)
    return runner


@pytest.fixture
def run_action():
    """run_action(ActionModule, args, secrets=None, check_mode=False, task_vars=None) -> result dict.

    In-process, with a real DataLoader holding the run's vault secrets as ansible-playbook
    gives them ([(vault_id, VaultSecret)], or none) and a stand-in task and connection.
    """
    # imported here: ansible-test units runs the module tests (tests/unit/plugins/modules)
    # with ansible-core's module_utils only, and this conftest.py is theirs too
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar

    def runner(action_class, args, secrets=None, check_mode=False, task_vars=None):
        loader = DataLoader()
        if secrets:
            loader.set_vault_secrets(secrets)
        task = mock.MagicMock(args=args, check_mode=check_mode, async_val=0, action='federated.vpn.test')
        action = action_class(task, mock.MagicMock(), mock.MagicMock(), loader, Templar(loader=loader), mock.MagicMock())
        return action.run(task_vars=dict(task_vars or {}))
    return runner
