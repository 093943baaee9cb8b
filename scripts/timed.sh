#!/usr/bin/env bash
# timed.sh NAME COMMAND...: runs COMMAND and prints how long it took, pass or fail; with
# FVPN_TIMES set, also appends "NAME SECONDS" to that file (make demo's phases).
name=$1; shift
start=$(date +%s)
set +e
"$@"
rc=$?
seconds=$(( $(date +%s) - start ))
printf '== %s: %s in %ds\n' "$name" "$([ $rc -eq 0 ] && echo passed || echo FAILED)" "$seconds"
if [ -n "${FVPN_TIMES:-}" ]; then
  mkdir -p "$(dirname "$FVPN_TIMES")" && echo "$name $seconds" >>"$FVPN_TIMES"
fi
exit $rc
