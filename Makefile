# The README's two commands: `make demo` and `make test`. Both prepare the machine first
# (Docker engine, base image, .venv), so they work on a fresh Debian 12 machine.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/.venv/bin:$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
# Image builds trust this machine's extra CA certificates (TLS-inspecting proxies) at build
# time only, and take wheels (a CPU torch) from pip's configured find-links directory.
export FVPN_BUILD_CA_DIR ?= /usr/local/share/ca-certificates
export FVPN_WHEELHOUSE ?= $(shell python3 -m pip config get global.find-links 2>/dev/null)
TIMED := bash scripts/timed.sh

.PHONY: prepare images demo demo-clean test unit units sanity validation lint molecule molecule-vpn molecule-federation molecule-day2 molecule-sites

prepare:
	@$(TIMED) prepare bash scripts/prepare-machine.sh

images: prepare
	@$(TIMED) images ansible-playbook playbooks/build_images.yml

# The whole federation on this machine (VPN server, researcher, two node instances, a
# GUI), then a real federated training round through the tunnel. Each phase's time (its
# prerequisites' too: a target-specific variable) goes to one file per run, which the
# summary prints.
demo: export FVPN_TIMES := $(CURDIR)/.cache/demo/phases-$(shell date +%s)
demo: images
	@$(TIMED) demo-deploy ansible-playbook -i inventories/local playbooks/site.yml
	@$(TIMED) demo-smoke ansible-playbook -i inventories/local playbooks/smoke.yml
	@bash scripts/demo-summary.sh "$$FVPN_TIMES"

# Everything the demo made on this machine, its data included (playbooks/clean.yml)
demo-clean: prepare
	@ansible-playbook -i inventories/local playbooks/clean.yml -e level=configuration -e purge_data=true -e confirm=false

unit: prepare
	@$(TIMED) unit python -m pytest -q tests/unit

# ansible-test (ansible-core's) on a copy of this checkout, see scripts/ansible-test.sh: the
# unit tests again, the way ansible-test runs them (module tests with module_utils only),
# and its sanity tests. Both in a virtualenv ansible-test makes and keeps (--venv), on the
# .venv's Python version.
ANSIBLE_TEST := bash scripts/ansible-test.sh
ANSIBLE_TEST_OPTIONS = --python "$$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')" --venv --requirements

units: prepare
	@$(TIMED) units $(ANSIBLE_TEST) units $(ANSIBLE_TEST_OPTIONS)

sanity: prepare
	@$(TIMED) sanity $(ANSIBLE_TEST) sanity $(ANSIBLE_TEST_OPTIONS)

# Malformed inventories against the real playbooks: each must fail before any change
validation: prepare
	@$(TIMED) validation python -m pytest -q tests/integration

lint: prepare
	@$(TIMED) ansible-lint ansible-lint --profile production --offline
	@$(TIMED) docker-cli-gate bash scripts/check-no-docker-cli.sh
	@$(TIMED) changelog antsibull-changelog lint

molecule-vpn: prepare
	@$(TIMED) molecule-vpn molecule test -s vpn

molecule-federation: prepare
	@$(TIMED) molecule-federation molecule test -s federation

molecule-day2: prepare
	@$(TIMED) molecule-day2 molecule test -s day2

molecule-sites: prepare
	@$(TIMED) molecule-sites molecule test -s sites

molecule: molecule-vpn molecule-federation molecule-day2 molecule-sites

test: unit units sanity validation lint molecule
	@echo "== make test: all passed"
