#!/usr/bin/env bash
# Removes what `make demo` made on this machine: the fbm-* containers and the demo state
# under /var/lib/federated-vpn (keys, registry, configurations).
set -euo pipefail
ids=$(docker ps -aq --filter name='^fbm-')
[ -z "$ids" ] || docker rm -f $ids >/dev/null
rm -rf /var/lib/federated-vpn
echo "demo removed"
