#!/usr/bin/env bash
# Machine start (also after a stop), then systemd as PID 1. What Docker does to a
# container and a real host does not have is undone first:
#   - /proc partly masked (kcore, keys, ... over-mounted) and read-only parts: the kernel
#     lets a user namespace mount its own procfs only where /proc is fully visible, so
#     rootless Podman's containers could not start (systempaths=unconfined, which the
#     Docker API has no option for)
#   - /dev/net/tun 0600: a real host has 0666, which rootless slirp4netns and wireguard-go need
#   - cgroup v1 mounts read-only
# The service account (RIG_USER) gets the controller's key and sudo for the collection's
# one-time preparation.
set -euo pipefail
for path in $(awk '$2 ~ "^/proc/" {print $2}' /proc/self/mounts | sort -r); do
  umount "$path" 2>/dev/null || umount -l "$path" 2>/dev/null || echo "warn: $path stays mounted" >&2
done
mount -o remount,rw /proc 2>/dev/null || true
chmod 0666 /dev/net/tun
while read -r m; do
  mount -o remount,rw "$m" 2>/dev/null || mount -o remount,rw,bind "$m" 2>/dev/null || echo "warn: $m stays read-only" >&2
done < <(awk '$2 ~ "^/sys/fs/cgroup" {print $2}' /proc/self/mounts)
ssh-keygen -A >/dev/null
user=${RIG_USER:?RIG_USER is required}
id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
install -d -m 0700 -o "$user" -g "$user" "/home/$user/.ssh"
printf '%s\n' "${RIG_AUTHORIZED_KEY:?RIG_AUTHORIZED_KEY is required}" >"/home/$user/.ssh/authorized_keys"
chown "$user:$user" "/home/$user/.ssh/authorized_keys"
chmod 600 "/home/$user/.ssh/authorized_keys"
printf '%s ALL=(ALL) NOPASSWD: ALL\n' "$user" >/etc/sudoers.d/rig-service-account
chmod 0440 /etc/sudoers.d/rig-service-account
# the rig registry speaks plain HTTP, as the Docker machines' daemon.json allows
if [ -n "${RIG_REGISTRY:-}" ]; then
  mkdir -p /etc/containers/registries.conf.d
  printf '[[registry]]\nlocation = "%s"\ninsecure = true\n' "$RIG_REGISTRY" >/etc/containers/registries.conf.d/rig.conf
fi
exec /lib/systemd/systemd
