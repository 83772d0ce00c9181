#!/usr/bin/env bash
# Usage: progress-step.sh   (run by commit-back.sh, in the work tree at the newest main)
#
# Reads every learner's progress into roster.json, progress.json, progress.md and
# progress-history.json, then writes the facilitator dashboard (dashboard/index.html and the
# shared dashboard/redacted.html). Exit 1 from the progress command means some rooms could not be
# read (their learners keep their previous status): the others are still worth committing, so
# that is noted, not fatal; so is a dashboard that could not be written. Every file keeps its
# bytes when nothing but the clock moved, so commit-back commits nothing then.
# Environment: TOOL_DIR (the learning-rooms checkout), RUNNER_TEMP.
set -uo pipefail
tool="${TOOL_DIR:?the learning-rooms checkout}/bin/learning-rooms.js"
node "$tool" progress roster.json
code=$?
if [ "$code" -eq 1 ]; then
  touch "${RUNNER_TEMP}/progress-partial"
elif [ "$code" -ne 0 ]; then
  exit "$code"
fi
# The watchdog's latest findings (drift), when the workflow fetched them.
findings=()
if [ -f "${RUNNER_TEMP}/watchdog/watchdog-findings.json" ]; then findings=(--watchdog "${RUNNER_TEMP}/watchdog/watchdog-findings.json"); fi
# A dashboard that cannot be written must not hold back the progress of record: noted, the job fails later.
node "$tool" dashboard roster.json "${findings[@]}" || touch "${RUNNER_TEMP}/dashboard-failed"
exit 0
