#!/bin/bash
# Machine start: per-machine SSH host keys, the controller's key, cgroup v1 mounts made
# writable for the inner engine, the inner engine, then sshd in the foreground.
set -euo pipefail
ssh-keygen -A >/dev/null
printf '%s\n' "${RIG_AUTHORIZED_KEY:?RIG_AUTHORIZED_KEY is required}" >/root/.ssh/authorized_keys
chmod 600 /root/.ssh/authorized_keys
for m in $(awk '$2 ~ "^/sys/fs/cgroup" {print $2}' /proc/self/mounts); do
  mount -o remount,rw "$m" 2>/dev/null || mount -o remount,rw,bind "$m" 2>/dev/null || echo "warn: $m stays read-only" >&2
done
mkdir -p /etc/docker
if [ -n "${RIG_REGISTRY:-}" ]; then
  printf '{"insecure-registries": ["%s"]}\n' "$RIG_REGISTRY" >/etc/docker/daemon.json
fi
rm -f /var/run/docker.pid
# off 172.17/16 so the inner bridge does not overlap the outer one
dockerd --storage-driver=overlay2 --bip "${RIG_INNER_BIP:-10.99.0.1/24}" >/var/log/dockerd.log 2>&1 &
exec /usr/sbin/sshd -D -e
