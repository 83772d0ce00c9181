#!/usr/bin/env bash
# Usage: state-input.sh OUT_DIR   (run at the root of a trusted checkout with origin/main fetched)
#
# Writes OUT_DIR/<stack>.tfstate.json, the current Terraform state of every stack that has one,
# for synthesis (LEARNING_ROOMS_STATE_DIR): a room that exists in state never drops out of the
# configuration, even when the roster does not know about it yet, because that would archive it.
# git backend: the state committed on main. Other backends: `terraform state pull` through a
# configuration that holds only the backend (no provider, so no App credentials are needed).
# Environment: TOOL_DIR (the learning-rooms checkout), LEARNING_ROOMS_BACKEND, RUNNER_TEMP.
set -euo pipefail
out=$1
mkdir -p "$out"
if [ "${LEARNING_ROOMS_BACKEND:-git}" = "git" ]; then
  git ls-tree --name-only origin/main state/ 2>/dev/null | { grep '\.tfstate$' || true; } | while read -r file; do
    git show "origin/main:${file}" > "${out}/$(basename "$file" .tfstate).tfstate.json"
  done
else
  # Every stack: each cohort's shard 0 and its shards 1 to one past the highest a learner records
  # (scale, issue 13: docs/scale.md); a stack with no state pulls empty and is dropped.
  stacks=$(jq -r '.cohorts[].cohort_id as $c | $c,
    ([.learners[] | select(.cohort_id == $c) | .provisioning.shard // 0] | (max // 0) as $m | range(1; $m + 2) | "\($c).shard-\(.)")' roster.json)
  for stack in $stacks; do
    dir="${RUNNER_TEMP}/state-pull/${stack}"
    mkdir -p "$dir"
    node "${TOOL_DIR:?the learning-rooms checkout}/bin/learning-rooms.js" prepare-stack --backend-only --dir "$dir" --cli-config "$dir.tfrc" > /dev/null
    (cd "$dir" && export TF_CLI_CONFIG_FILE="$dir.tfrc" && terraform init -input=false -no-color > /dev/null && terraform state pull > "${out}/${stack}.tfstate.json")
    [ -s "${out}/${stack}.tfstate.json" ] || rm -f "${out}/${stack}.tfstate.json"
  done
fi
echo "state-input: $(find "$out" -name '*.tfstate.json' | wc -l) stack state(s) in $out"
