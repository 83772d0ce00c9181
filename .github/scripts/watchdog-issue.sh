#!/usr/bin/env bash
# Usage: watchdog-issue.sh healthy|unhealthy BODY_FILE
#
# Keeps ONE admin issue for the watchdog, found by its label: unhealthy -> update its body (and
# reopen it, or open it the first time); healthy -> close it with a short note. Never a new
# issue per run. Environment: GH_TOKEN (issues: write), GITHUB_REPOSITORY, RUN_URL.
set -euo pipefail
status=$1 body=$2
label='learning-rooms-watchdog'
title='Learning rooms watchdog: attention needed'
repo=$GITHUB_REPOSITORY

gh label create "$label" --repo "$repo" --color B60205 \
  --description 'Kept up to date by the learning-rooms watchdog workflow' 2>/dev/null || true
# The most recently updated issue with the label, open or closed.
read -r number state < <(gh issue list --repo "$repo" --label "$label" --state all --limit 1 \
  --json number,state --jq '.[0] | "\(.number) \(.state)"' 2>/dev/null || true) || true
[ "${number:-null}" != "null" ] || number=''

if [ "$status" = "unhealthy" ]; then
  if [ -z "$number" ]; then
    gh issue create --repo "$repo" --title "$title" --label "$label" --body-file "$body"
  else
    gh issue edit "$number" --repo "$repo" --body-file "$body"
    if [ "$state" = "CLOSED" ]; then gh issue reopen "$number" --repo "$repo"; fi
    echo "watchdog-issue: updated #$number"
  fi
elif [ -n "$number" ] && [ "$state" = "OPEN" ]; then
  gh issue edit "$number" --repo "$repo" --body-file "$body"
  gh issue close "$number" --repo "$repo" --comment "All healthy again ($RUN_URL): closing."
  echo "watchdog-issue: closed #$number"
else
  echo "watchdog-issue: healthy, no open issue"
fi
