#!/usr/bin/env bash
# Usage: front-door-dispatch.sh   (in the public front door's Register workflow)
#
# Hands one registration request to the workshop's admin repository: a repository_dispatch
# `learning-rooms-registration` whose client_payload says only where the request is,
# {repository, issue_number}. No body and no login travel: the admin side reads the issue from the
# API itself (its author is the registrant), so nothing it trusts comes through here.
# Environment: GH_TOKEN (contents: write on the admin repository, which repository_dispatch
# needs), ADMIN_REPOSITORY (owner/name), GITHUB_REPOSITORY (this front door), ISSUE_NUMBER,
# GITHUB_API_URL (set by the runner; https://api.github.com on github.com).
set -euo pipefail
name='^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$'
[[ "$ADMIN_REPOSITORY" =~ $name ]] || { echo "front-door: ADMIN_REPOSITORY: expected owner/name, found $ADMIN_REPOSITORY" >&2; exit 2; }
[[ "$GITHUB_REPOSITORY" =~ $name ]] || { echo "front-door: GITHUB_REPOSITORY: expected owner/name" >&2; exit 2; }
[[ "$ISSUE_NUMBER" =~ ^[1-9][0-9]{0,9}$ ]] || { echo "front-door: ISSUE_NUMBER: expected an issue number" >&2; exit 2; }
api=${GITHUB_API_URL:-https://api.github.com}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jq -n --arg repository "$GITHUB_REPOSITORY" --argjson issue "$ISSUE_NUMBER" \
  '{event_type: "learning-rooms-registration", client_payload: {repository: $repository, issue_number: $issue}}' > "$work/payload.json"
# The token goes to curl on its standard input, never on its command line (the process list).
status=$(printf 'header = "Authorization: Bearer %s"\n' "$GH_TOKEN" | curl -sS -K - -o "$work/answer" -w '%{http_code}' -X POST \
  -H 'Accept: application/vnd.github+json' -H 'X-GitHub-Api-Version: 2022-11-28' -H 'Content-Type: application/json' \
  --data-binary "@$work/payload.json" "$api/repos/$ADMIN_REPOSITORY/dispatches")
if [ "$status" != 204 ]; then
  echo "front-door: $ADMIN_REPOSITORY did not take request #$ISSUE_NUMBER (HTTP $status): $(head -c 300 "$work/answer")" >&2
  echo "front-door: check that the registration App is installed on $ADMIN_REPOSITORY with Contents: write" >&2
  exit 1
fi
echo "front-door: request #$ISSUE_NUMBER handed to $ADMIN_REPOSITORY"
