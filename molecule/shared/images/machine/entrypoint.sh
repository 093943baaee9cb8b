#!/usr/bin/env bash
# Machine start (also after a stop): per-machine SSH host keys, the controller's key (for
# root, or for the service account RIG_USER), cgroup v1 mounts made writable for the inner
# engine, the inner engine, then sshd in the foreground.
set -euo pipefail
ssh-keygen -A >/dev/null
printf '%s\n' "${RIG_AUTHORIZED_KEY:?RIG_AUTHORIZED_KEY is required}" >/root/.ssh/authorized_keys
chmod 600 /root/.ssh/authorized_keys
# a site's service account: in the docker group (root-equivalent, as the README says), sudo
# for the collection's tasks that need root
if [ -n "${RIG_USER:-}" ]; then
  id "$RIG_USER" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --groups docker "$RIG_USER"
  install -d -m 0700 -o "$RIG_USER" -g "$RIG_USER" "/home/$RIG_USER/.ssh"
  install -m 0600 -o "$RIG_USER" -g "$RIG_USER" /root/.ssh/authorized_keys "/home/$RIG_USER/.ssh/authorized_keys"
  printf '%s ALL=(ALL) NOPASSWD: ALL\n' "$RIG_USER" >/etc/sudoers.d/rig-service-account
  chmod 0440 /etc/sudoers.d/rig-service-account
  printf 'PermitRootLogin no\n' >/etc/ssh/sshd_config.d/rig-no-root.conf
fi
while read -r m; do
  mount -o remount,rw "$m" 2>/dev/null || mount -o remount,rw,bind "$m" 2>/dev/null || echo "warn: $m stays read-only" >&2
done < <(awk '$2 ~ "^/sys/fs/cgroup" {print $2}' /proc/self/mounts)
mkdir -p /etc/docker
if [ -n "${RIG_REGISTRY:-}" ]; then
  printf '{"insecure-registries": ["%s"]}\n' "$RIG_REGISTRY" >/etc/docker/daemon.json
fi
# A machine's /run is a tmpfs, empty at boot; here it is in the container's layer and
# survives a stop: without this, the engine waits forever on a stale containerd.
rm -rf /var/run/docker.pid /var/run/docker.sock /var/run/docker /run/containerd
# off 172.17/16 so the inner bridge does not overlap the outer one
dockerd --storage-driver=overlay2 --bip "${RIG_INNER_BIP:-10.99.0.1/24}" >/var/log/dockerd.log 2>&1 &
exec /usr/sbin/sshd -D -e
