#!/usr/bin/env bash
# Makes a fresh Debian 12 machine ready to run the demo and the tests, idempotently:
#   - Debian's docker.io, and dockerd started when no engine answers
#   - the base image (BASE_IMAGE): made with debootstrap + docker import when its name
#     starts with local/ (the default local/debian:bookworm; no registry needed), pulled
#     otherwise
#   - the checkout's virtualenv (.venv): the controller's requirements.txt and the demo's
#     and tests' requirements-test.txt, pinned
# Environment: BASE_IMAGE, DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE_IMAGE=${BASE_IMAGE:-local/debian:bookworm}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
DEBIAN_SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
log() { printf '== prepare: %s\n' "$*"; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  nohup dockerd >/var/log/dockerd.log 2>&1 &
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start, see /var/log/dockerd.log" >&2; exit 1; }
fi

# The base image and the virtualenv are independent: made side by side (a bare machine
# waits for the slower of the two, not their sum: 47 s instead of 63 s measured here).
make_base_image() {
  docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 && return 0
  if [ "${BASE_IMAGE#local/}" != "$BASE_IMAGE" ]; then
    log "building $BASE_IMAGE with debootstrap (no registry needed)"
    # not local: the EXIT trap runs when the subshell ends, after this function returned
    rootfs=$(mktemp -d /tmp/fvpn-rootfs.XXXXXX)
    trap 'rm -rf "$rootfs"' EXIT
    debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR" >/tmp/fvpn-debootstrap.log 2>&1 \
      || { echo "debootstrap failed, see /tmp/fvpn-debootstrap.log" >&2; return 1; }
    cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $DEBIAN_MIRROR bookworm main
deb $DEBIAN_MIRROR bookworm-updates main
deb $DEBIAN_SECURITY_MIRROR bookworm-security main
SOURCES
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | docker import -c 'CMD ["/bin/bash"]' - "$BASE_IMAGE" >/dev/null
  else
    log "pulling $BASE_IMAGE"
    docker pull -q "$BASE_IMAGE" >/dev/null
  fi
}

make_venv() {
  local stamp=.venv/.requirements.sha256 want
  want=$(cat requirements.txt requirements-test.txt | sha256sum | cut -d' ' -f1)
  [ -x .venv/bin/ansible-playbook ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && return 0
  log "installing the Python requirements into .venv"
  python3 -m venv .venv
  .venv/bin/pip install -q -r requirements-test.txt 2>&1 | grep -v "is ignored: it is neither a file nor a directory" || true
  .venv/bin/ansible-playbook --version >/dev/null
  echo "$want" >"$stamp"
}

# Each in a background subshell, where set -e holds (it would not in a `||` context)
( make_base_image ) &
base_pid=$!
( make_venv ) &
venv_pid=$!
base_status=0 venv_status=0
wait "$venv_pid" || venv_status=$?
wait "$base_pid" || base_status=$?
[ "$venv_status" -eq 0 ] || { echo "the virtualenv (.venv) could not be installed" >&2; exit 1; }
[ "$base_status" -eq 0 ] || { echo "the base image $BASE_IMAGE could not be made" >&2; exit 1; }
log "ready"
