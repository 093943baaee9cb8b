#!/usr/bin/env bash
# Prints what the demo deployed on this machine: the server's peers and their handshakes.
set -euo pipefail
echo
echo "== The VPN runs on this machine. Server peers (wg show on fbm-vpnserver):"
docker exec fbm-vpnserver wg show wg0 | sed -n '/^peer/,$p' | grep -E 'peer|allowed ips|latest handshake'
echo
echo "== Containers:"
docker ps --filter name=fbm- --format '   {{.Names}}\t{{.Status}}'
echo
echo "Re-run 'make demo' any time (it changes nothing); 'make demo-clean' removes it."
