"""Stand-in for pypa's get-pip.py, used by scripts/ansible-test.sh.

ansible-test bootstraps pip in each virtual environment it makes by downloading
https://ci-files.testing.ansible.com/ansible-test/get-pip-<version>.py into
~/.ansible/test/cache/get_pip_<version>.py, unless that file is already there. Machines
that cannot reach ci-files.testing.ansible.com (a proxy allowing only PyPI) fail there,
so scripts/ansible-test.sh puts this file in the cache when it is missing. It runs pip
from the wheel the standard library bundles (ensurepip) to install what it is given
(ansible-test asks for pip==<version>, which comes from PyPI like any other package).
"""
import glob
import os
import sys
import ensurepip

WHEEL = glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), '_bundled', 'pip-*.whl'))[0]
sys.path.insert(0, WHEEL)

from pip._internal.cli.main import main  # noqa: E402 pylint: disable=wrong-import-position

# get-pip's own options: pip install does not know them (without them get-pip would also
# install setuptools and wheel, which ansible-test does not want)
ARGS = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
sys.exit(main(['install', '--upgrade', '--force-reinstall'] + ARGS))
