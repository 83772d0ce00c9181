#!/usr/bin/env bash
# Usage: scope.sh MODE OUT_DIR   (in the synth job, after the run's own synthesis into cdktf.out)
#
# Which stacks this run plans (docs/scale.md, "Plans scoped to what changed"):
#   all           every stack (the watchdog: its fingerprint chooses later);
#   pull-request  the stacks whose configuration the pull request changes: main's own data is
#                 synthesized too, with the same code, main's settings and the same state, and
#                 `changed-stacks` compares the two (plans then run with -refresh=false);
#   apply         the stacks whose configuration changed since the last successful apply
#                 (BASE_REF, its data read as git blobs), plus those with work of their own
#                 (new rooms, failed learners, expired invitations). Without BASE_REF: every stack.
# Writes OUT_DIR/scope.json and stacks=<JSON array> to $GITHUB_OUTPUT; the scope (with its
# estimate of requests and minutes) goes to the run summary.
# Run at the root of the admin repository's checkout (all history fetched, for apply).
# Environment: TOOL_DIR (the learning-rooms checkout), ROSTER_FILE, STATE_INPUT (folder of pulled
# state), BASE_REF (apply), RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY; the run's settings
# are in the environment (config/gitops.json).
set -euo pipefail
mode=$1 out=$2
: "${TOOL_DIR:?the learning-rooms checkout}"

# Synthesizes ROSTER with only the settings in ENV_FILE (the run's own settings unset first), so
# that the comparison sees the data's differences and nothing of this job's environment.
synth_with() {
  local env_file=$1 roster=$2 outdir=$3
  local unset_args=() key
  while IFS='=' read -r key _; do [ -n "$key" ] && unset_args+=(-u "$key"); done < "$RUNNER_TEMP/gitops.env"
  mapfile -t set_args < "$env_file"
  env "${unset_args[@]}" "${set_args[@]}" LEARNING_ROOMS_STATE_DIR="$STATE_INPUT" LEARNING_ROOMS_OUTDIR="$outdir" \
    node "$TOOL_DIR/bin/learning-rooms.js" synth "$roster" > /dev/null
}

base_args=()
case "$mode" in
  all)
    base_args=()
    ;;
  pull-request)
    # main's data in this checkout, with main's settings
    node "$TOOL_DIR/bin/learning-rooms.js" gitops-env > "$RUNNER_TEMP/base.env"
    if synth_with "$RUNNER_TEMP/base.env" "$GITHUB_WORKSPACE/roster.json" "$RUNNER_TEMP/base-out"; then
      base_args=(--base "$RUNNER_TEMP/base-out")
    else
      echo "scope: main's own data does not synthesize; every stack is planned"
    fi
    ;;
  apply)
    if [[ "${BASE_REF:-}" =~ ^[0-9a-f]{40}$ ]] && git cat-file -e "${BASE_REF}^{commit}" 2>/dev/null \
      && node "$TOOL_DIR/bin/learning-rooms.js" pull-request-data --commit "$BASE_REF" --out-dir "$RUNNER_TEMP/base-data" > /dev/null; then
      node "$TOOL_DIR/bin/learning-rooms.js" gitops-env --pull-request-file "$RUNNER_TEMP/base-data/config/gitops.json" > "$RUNNER_TEMP/base.env"
      required=$(sed -n 's/^LEARNING_ROOMS_REQUIRED_FILES_DIR=//p' "$RUNNER_TEMP/base.env")
      echo "LEARNING_ROOMS_REQUIRED_FILES_DIR=$RUNNER_TEMP/base-data/${required:-required-files}" >> "$RUNNER_TEMP/base.env"
      if synth_with "$RUNNER_TEMP/base.env" "$RUNNER_TEMP/base-data/roster.json" "$RUNNER_TEMP/base-out"; then
        base_args=(--base "$RUNNER_TEMP/base-out")
      fi
    fi
    [ ${#base_args[@]} -gt 0 ] || echo "scope: no successful apply to compare with; every stack is planned"
    ;;
  *) echo "scope: unknown mode $mode" >&2; exit 2 ;;
esac

if [ "$mode" = "all" ]; then
  stacks=$(find cdktf.out/stacks -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort | jq -R . | jq -cs .)
else
  cli_mode=scoped-plan
  [ "$mode" = "apply" ] && cli_mode=apply
  stacks=$(node "$TOOL_DIR/bin/learning-rooms.js" changed-stacks --head cdktf.out "${base_args[@]}" --mode "$cli_mode" --roster "$ROSTER_FILE" --out "$out/scope.json")
fi
echo "stacks=$stacks" >> "$GITHUB_OUTPUT"
echo "Stacks to plan: $stacks"
