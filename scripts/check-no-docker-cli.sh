#!/usr/bin/env bash
# Quality gate: no shell/command task may drive the docker CLI where a community.docker
# module exists (docker_container, docker_image, docker_container_exec, docker_network...).
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
hits=$(grep -rnE '(shell|command|argv)\b.*\bdocker\b.*\b(run|exec|start|stop|restart|rm|rmi|build|load|save|pull|push|tag|network|volume|inspect|ps|images)\b' \
         roles playbooks molecule --include='*.yml' --include='*.yaml' --include='*.j2' || true)
if [ -n "$hits" ]; then
  echo "tasks drive the docker CLI; use the community.docker modules instead:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "no task drives the docker CLI"
