#!/usr/bin/env bash
# Usage: record-stack.sh RECORDS_DIR   (run by commit-back.sh, in the work tree at the newest main)
#
# The post-step of one cohort's apply: records every learner's outcome in the provisioning log
# and the roster, and, for the git backend, puts the stack's new state beside them. Reads
# everything from RECORDS_DIR (outside the work tree, which commit-back resets to main):
# plan.json, apply.jsonl, learners.json and, for the git backend, state.tfstate.
# Environment: STACK, RUN_ID, GITHUB_SHA, LEARNING_ROOMS_BACKEND, TOOL_DIR (the learning-rooms checkout).
set -euo pipefail
rec=$1
: > "$rec/summary.md"
if [ -f "$rec/apply.jsonl" ]; then
  node "${TOOL_DIR:?the learning-rooms checkout}/bin/learning-rooms.js" record --plan "$rec/plan.json" --apply "$rec/apply.jsonl" --index "$rec/learners.json" \
    --roster roster.json --log provisioning-log.json --run-id "$RUN_ID" --commit "$GITHUB_SHA" --summary-out "$rec/summary.md"
fi
if [ "${LEARNING_ROOMS_BACKEND:-git}" = "git" ] && [ -f "$rec/state.tfstate" ]; then
  mkdir -p state
  cp "$rec/state.tfstate" "state/${STACK}.tfstate"
fi
