#!/usr/bin/env bash
# Quality gate: nothing in the roles, playbooks or scenarios drives the docker or podman CLI
# where a community.docker or containers.podman module exists (docker_container,
# podman_container, docker_image, podman_load, ..._exec, ..._info...): not a shell/command
# task, not an argv, not a script a task runs (inline, or a .sh file beside the
# scenarios). Comments do not count.
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
verbs='(run|exec|start|stop|restart|rm|rmi|build|load|save|pull|push|tag|network|volume|inspect|ps|images|kill|cp|create|commit)'
engines='(docker|podman)'
# `docker [--flag [value]]... VERB`, or docker and its verb as items of a list (YAML or
# Python); podman alike
hits=$(grep -rnE "\b$engines( +--?[a-zA-Z-]+(=[^ ]+| +[^ -][^ ]*)?)* +$verbs\b|['\"]?\b$engines['\"]?, *['\"]?$verbs\b" \
         roles playbooks molecule --include='*.yml' --include='*.yaml' --include='*.j2' --include='*.sh' \
       | grep -vE '^[^:]+:[0-9]+: *#' || true)
if [ -n "$hits" ]; then
  echo "tasks drive the docker or podman CLI; use the community.docker or containers.podman modules instead:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "no task drives the docker or podman CLI"
