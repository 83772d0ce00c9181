#!/usr/bin/env bash
# Usage: register-pr.sh RESULT_JSON   (after `learning-rooms register` updated roster.json)
#
# One registration issue, one branch register/issue-<n>, at most one open pull request:
# - roster.json changed: the branch is rebuilt from main with the change (hence the force push);
#   with no open pull request one is opened, otherwise the open one gets the title and
#   description of the issue's current contents (`gh pr edit`), whatever changed, the cohort
#   included: the title, the description and the diff always say the same thing.
# - nothing changed (main's roster already has these details): an open pull request for this
#   issue, made from earlier contents, is closed with a comment saying why.
# Title and description come from the register command (RESULT_JSON: title, body). The pull
# request is made with the App's token, not the workflow token, so that the Plan workflow runs
# on it. Writes url=<pull request> (or nothing when nothing changed) to $GITHUB_OUTPUT.
# Environment: GH_TOKEN (App token: contents + pull requests on this repository), ISSUE_NUMBER,
# GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_OUTPUT.
set -euo pipefail
result=$1
[[ "$ISSUE_NUMBER" =~ ^[0-9]+$ ]] || { echo "register-pr: bad issue number" >&2; exit 2; }
# Checked by the register command against the roster's rules: safe in a title and a branch name.
handle=$(jq -r .github_handle "$result")
cohort=$(jq -r .cohort_id "$result")
title=$(jq -r .title "$result")
body_file=$(mktemp)
jq -r .body "$result" > "$body_file"
branch="register/issue-${ISSUE_NUMBER}"

open=$(gh pr list --repo "$GITHUB_REPOSITORY" --head "$branch" --state open --json url --jq '.[0].url // ""')

if git diff --quiet -- roster.json; then
  echo "register-pr: ${handle} is already in ${cohort} with these details"
  if [ -n "$open" ]; then
    gh pr close "$open" --repo "$GITHUB_REPOSITORY" --comment "Registration #${ISSUE_NUMBER} was edited, and the roster on main already has its details: nothing to change, so this pull request is closed."
    echo "register-pr: closed ${open}"
  fi
  echo "url=" >> "$GITHUB_OUTPUT"
  exit 0
fi

auth=$(printf 'x-access-token:%s' "$GH_TOKEN" | base64 -w0)
echo "::add-mask::$auth"
git config user.name 'learning-rooms registration'
git config user.email '41898282+github-actions[bot]@users.noreply.github.com'
git checkout --quiet -B "$branch"
git add roster.json
git commit --quiet -m "Register ${handle} in ${cohort} (#${ISSUE_NUMBER})"
git -c "http.${GITHUB_SERVER_URL}/.extraheader=AUTHORIZATION: basic ${auth}" push --quiet --force origin "HEAD:refs/heads/${branch}"

if [ -z "$open" ]; then
  url=$(gh pr create --repo "$GITHUB_REPOSITORY" --base main --head "$branch" --title "$title" --body-file "$body_file")
else
  gh pr edit "$open" --repo "$GITHUB_REPOSITORY" --title "$title" --body-file "$body_file" > /dev/null
  url=$open
fi
echo "register-pr: ${url}"
echo "url=${url}" >> "$GITHUB_OUTPUT"
