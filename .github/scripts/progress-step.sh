#!/usr/bin/env bash
# Usage: progress-step.sh   (run by commit-back.sh, in the work tree at the newest main)
#
# Reads every learner's progress into roster.json, progress.json and progress.md. Exit 1 from
# the progress command means some rooms could not be read (their learners keep their previous
# status): the others are still worth committing, so that is noted, not fatal.
# Environment: TOOL_DIR (the learning-rooms checkout), RUNNER_TEMP.
set -uo pipefail
node "${TOOL_DIR:?the learning-rooms checkout}/bin/learning-rooms.js" progress roster.json
code=$?
if [ "$code" -eq 1 ]; then
  touch "${RUNNER_TEMP}/progress-partial"
  exit 0
fi
exit "$code"
