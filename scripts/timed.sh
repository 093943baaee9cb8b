#!/usr/bin/env bash
# timed.sh NAME COMMAND...: runs COMMAND and prints how long it took, pass or fail.
name=$1; shift
start=$(date +%s)
set +e
"$@"
rc=$?
printf '== %s: %s in %ds\n' "$name" "$([ $rc -eq 0 ] && echo passed || echo FAILED)" "$(( $(date +%s) - start ))"
exit $rc
