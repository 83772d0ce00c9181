#!/usr/bin/env bash
# Usage: state-input.sh OUT_DIR   (run at the root of a trusted checkout with origin/main fetched)
#
# Writes OUT_DIR/<cohort>.tfstate.json, the current Terraform state of every cohort that has one,
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
  for cohort in $(jq -r '.cohorts[].cohort_id' roster.json); do
    dir="${RUNNER_TEMP}/state-pull/${cohort}"
    mkdir -p "$dir"
    node "${TOOL_DIR:?the learning-rooms checkout}/bin/learning-rooms.js" prepare-stack --backend-only --dir "$dir" --cli-config "$dir.tfrc" > /dev/null
    (cd "$dir" && export TF_CLI_CONFIG_FILE="$dir.tfrc" && terraform init -input=false -no-color > /dev/null && terraform state pull > "${out}/${cohort}.tfstate.json")
    [ -s "${out}/${cohort}.tfstate.json" ] || rm -f "${out}/${cohort}.tfstate.json"
  done
fi
echo "state-input: $(find "$out" -name '*.tfstate.json' | wc -l) cohort state(s) in $out"
