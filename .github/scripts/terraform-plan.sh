#!/usr/bin/env bash
# Usage: terraform-plan.sh [EXTRA PLAN ARGS...]   (run in the stack folder)
#
# terraform plan -detailed-exitcode -json -out=tfplan, then terraform show -json of the plan
# file. Writes plan.stream.jsonl, plan.json (also for a failed plan that still wrote a plan file:
# it says errored: true) and exitcode (0 no changes, 1 error, 2 changes). Always exits 0: the
# caller decides, after the artifacts are saved, what a failure means.
set -uo pipefail
rm -f tfplan plan.json exitcode
terraform plan -input=false -no-color -detailed-exitcode -json -out=tfplan "$@" > plan.stream.jsonl
code=$?
echo "$code" > exitcode
if [ -f tfplan ]; then terraform show -no-color -json tfplan > plan.json; fi
# The error diagnostics, readable in the job log (the stream holds no credentials).
jq -r 'select(."@level" == "error") | "error: " + (.diagnostic.summary // ."@message")' plan.stream.jsonl 2>/dev/null || true
echo "terraform plan exit code: $code (0 no changes, 2 changes, 1 error)"
exit 0
