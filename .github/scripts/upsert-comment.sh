#!/usr/bin/env bash
# Usage: upsert-comment.sh ISSUE_OR_PR_NUMBER MARKER BODY_FILE
#
# Edits this workflow's earlier comment that starts with MARKER (a hidden HTML comment), or adds
# one: a pull request or issue carries one such comment, updated in place, never a pile of them.
# Only comments by github-actions[bot] are considered, so nobody can plant a marker to be edited.
# Environment: GH_TOKEN, GITHUB_REPOSITORY.
set -euo pipefail
number=$1 marker=$2 body=$3
[[ "$number" =~ ^[0-9]+$ ]] || { echo "upsert-comment: not an issue number: $number" >&2; exit 2; }
id=$(gh api --paginate "repos/${GITHUB_REPOSITORY}/issues/${number}/comments" \
  --jq ".[] | select(.user.login == \"github-actions[bot]\" and (.body | startswith(\"${marker}\"))) | .id" | head -n 1)
if [ -n "$id" ]; then
  gh api --silent -X PATCH "repos/${GITHUB_REPOSITORY}/issues/comments/${id}" -F "body=@${body}"
  echo "upsert-comment: updated comment ${id}"
else
  gh api --silent -X POST "repos/${GITHUB_REPOSITORY}/issues/${number}/comments" -F "body=@${body}"
  echo "upsert-comment: added a comment to #${number}"
fi
