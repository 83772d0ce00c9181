#!/usr/bin/env bash
# Usage: last-apply.sh   (scale, issue 13: docs/scale.md, "Plans scoped to what changed")
#
# Writes sha=<commit> to $GITHUB_OUTPUT: the head commit of the last successful run of the admin
# repository's Apply on main, which this run's apply compares its synthesis with (synth.yml's
# base_ref). Empty when there is none, or when the answer is not a full commit SHA: every stack
# is then planned. Reads the run list only (the caller grants `actions: read`).
# Environment: GH_TOKEN, GITHUB_REPOSITORY, GITHUB_OUTPUT; APPLY_WORKFLOW (default apply.yml).
set -euo pipefail
# A failed look-up must not stop the apply: without a base every stack is planned (safe, slower).
sha=$(gh run list --repo "$GITHUB_REPOSITORY" --workflow "${APPLY_WORKFLOW:-apply.yml}" --branch main \
  --status success --limit 1 --json headSha --jq '.[0].headSha // ""') \
  || { echo "::warning::could not list the runs of Apply; every stack is planned"; sha=''; }
[[ "$sha" =~ ^[0-9a-f]{40}$ ]] || sha=''
echo "sha=$sha" >> "$GITHUB_OUTPUT"
echo "Last successful apply: ${sha:-none}"
