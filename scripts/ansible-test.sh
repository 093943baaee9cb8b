#!/usr/bin/env bash
# ansible-test.sh ARGS...: runs `ansible-test ARGS...` (the .venv's, ansible-core's own)
# on this checkout, e.g. `bash scripts/ansible-test.sh sanity --python 3.11 --requirements`.
#
# ansible-test wants the collection under .../ansible_collections/federated/vpn and takes
# its path from os.getcwd(), which resolves the checkout's .collections symlink back to
# the checkout itself; so it runs on a copy, made here on every run, of the files git
# tracks or would track (changes not committed yet included; ignored files and
# .collections left out). The copy stays at one place (FVPN_ANSIBLE_TEST_DIR) so that the
# virtual environment `--venv` makes in it (tests/output/.tmp/delegation) serves the next
# run too; runs on one machine take turns. The results (tests/output without .tmp) are
# copied back into the checkout's tests/output (ignored by git).
#
# It also puts tests/sanity/get_pip.py where ansible-test looks for pip's bootstrap
# script when that file is missing, see that file for why.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
ansible_test=${ANSIBLE_TEST:-$repo/.venv/bin/ansible-test}
work=${FVPN_ANSIBLE_TEST_DIR:-$HOME/.cache/federated-vpn/ansible-test}
copy=$work/ansible_collections/federated/vpn

# the pip version ansible-test bootstraps its virtual environments with
pip_version=$("$(dirname "$ansible_test")/python" -c '
import sys, types
from ansible_test._internal.python_requirements import get_venv_packages
print(get_venv_packages(types.SimpleNamespace(version="%d.%d" % sys.version_info[:2]))["pip"])')
get_pip=$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py
if [ ! -e "$get_pip" ]; then
  mkdir -p "$(dirname "$get_pip")"
  cp tests/sanity/get_pip.py "$get_pip"
fi

mkdir -p "$copy"
exec 9>"$work/.lock"
flock 9

# a fresh copy, but for the virtual environments of earlier runs
find "$copy" -mindepth 1 -maxdepth 1 ! -name tests -exec rm -rf {} +
if [ -d "$copy/tests" ]; then
  find "$copy/tests" -mindepth 1 -maxdepth 1 ! -name output -exec rm -rf {} +
  if [ -d "$copy/tests/output" ]; then
    find "$copy/tests/output" -mindepth 1 -maxdepth 1 ! -name .tmp -exec rm -rf {} +
    find "$copy/tests/output/.tmp" -mindepth 1 -maxdepth 1 ! -name delegation -exec rm -rf {} + 2>/dev/null || true
  fi
fi
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do
      case $f in .collections | .collections/*) continue ;; esac
      # tracked files deleted in the working tree are not copied
      if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
    done \
  | xargs -0 -r cp -P --parents -t "$copy/"

results() {
  rc=$?
  if [ -d "$copy/tests/output" ]; then
    mkdir -p "$repo/tests/output"
    find "$copy/tests/output" -mindepth 1 -maxdepth 1 ! -name .tmp -exec cp -a -t "$repo/tests/output/" {} +
  fi
  exit $rc
}
trap results EXIT
cd "$copy"
# ansible-test lists the collection's files with git when it is a git repository
git init -q
echo /tests/output/ >>.git/info/exclude
git add -A
"$ansible_test" "$@"
