#!/usr/bin/env bash
# How to reach what `make demo` deployed on this machine. Prints where secrets are, never
# the secrets themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
cat <<TEXT

== The federation runs on this machine, inside the WireGuard VPN:
$(docker ps --filter name=fbm- --format '   {{.Names}}\t{{.Status}}' | sort)

   Jupyter (researcher):  http://127.0.0.1:8888/
      token:              cat /var/lib/federated-vpn/researcher/secrets/jupyter_token
      your notebooks:     /var/lib/federated-vpn/researcher/samples (shown as samples/)
   TensorBoard:           http://127.0.0.1:6006/
   Node GUI (hospital-a): https://127.0.0.1:8443/   (self-signed certificate)
      user:               admin@hospital-a.demo
      password:           cat $(pwd)/.cache/demo/gui-admin-password

   All three listen on 127.0.0.1 only. From your workstation:
      ssh -L 8888:127.0.0.1:8888 -L 6006:127.0.0.1:6006 -L 8443:127.0.0.1:8443 root@<this machine>

   Again:   make demo           (changes nothing when nothing changed)
   Status:  ansible-playbook -i inventories/local playbooks/status.yml
   Remove:  make demo-clean
TEXT

# demo-summary.sh [PHASES]: the time of each phase of this run (scripts/timed.sh), from a
# bare machine (prepare, images) to a trained model (demo-smoke)
phases=${1:-}
if [ -n "$phases" ] && [ -s "$phases" ]; then
  echo
  echo "== This run, phase by phase:"
  awk '{ printf "   %-14s %4d s\n", $1, $2; total += $2 } END { printf "   %-14s %4d s (%d min %d s)\n", "to a model", total, total / 60, total % 60 }' "$phases"
  rm -f "$phases"
fi
