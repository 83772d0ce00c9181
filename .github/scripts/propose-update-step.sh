#!/usr/bin/env bash
# Usage: propose-update-step.sh   (run directly for a dry run, or by commit-back.sh at the newest main)
#
# Runs `learning-rooms propose-update` on roster.json with the workflow's inputs (COHORT,
# ASSIGNMENT, LIMIT, DRY_RUN, RECORD_CURRENT, from the environment: never written into a script),
# keeping its summary, output and result in $RUNNER_TEMP/propose-update (written afresh on every
# attempt, so a regeneration after main moved is not counted twice). Exit 1 from the command means
# some rooms failed or a template could not be read: the roster's other moves are still worth
# committing, so that is noted, not fatal here; the job fails at its end.
# Environment: TOOL_DIR (the learning-rooms checkout), RUNNER_TEMP, the App's credentials.
set -uo pipefail
tool="${TOOL_DIR:?the learning-rooms checkout}/bin/learning-rooms.js"
out="${RUNNER_TEMP:?}/propose-update"
rm -rf "$out"
mkdir -p "$out"
args=(roster.json)
[ -z "${COHORT:-}" ] || args+=(--cohort "$COHORT")
[ -z "${ASSIGNMENT:-}" ] || args+=(--assignment "$ASSIGNMENT")
[ "${DRY_RUN:-true}" != "true" ] || args+=(--dry-run)
if [ "${RECORD_CURRENT:-false}" = "true" ]; then
  args+=(--record-current)
else
  [ -z "${LIMIT:-}" ] || args+=(--limit "$LIMIT")
  args+=(--out "$out/result.json" --summary-out "$out/summary.md")
fi
node "$tool" propose-update "${args[@]}" > "$out/output.txt"
code=$?
cat "$out/output.txt"
if [ "$code" -eq 1 ]; then
  touch "$out/failed"
elif [ "$code" -ne 0 ]; then
  exit "$code"
fi
exit 0
