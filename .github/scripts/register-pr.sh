#!/usr/bin/env bash
# Usage: register-pr.sh RESULT_JSON   (after `learning-rooms register` updated roster.json)
#
# Puts the roster change on the branch register/issue-<n> (rebuilt from main on every edit of
# the issue, hence the force push) and opens a pull request for it, or leaves the open one.
# The pull request is made with the App's token, not the workflow token, so that the Plan
# workflow runs on it. Writes url=<pull request> (or nothing when nothing changed) to
# $GITHUB_OUTPUT. Environment: GH_TOKEN (App token: contents + pull requests on this repository),
# ISSUE_NUMBER, GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_OUTPUT.
set -euo pipefail
result=$1
[[ "$ISSUE_NUMBER" =~ ^[0-9]+$ ]] || { echo "register-pr: bad issue number" >&2; exit 2; }
# Checked by the register command against the roster's rules: safe in a title and a branch name.
handle=$(jq -r .github_handle "$result")
cohort=$(jq -r .cohort_id "$result")
path=$(jq -r .path "$result")
created=$(jq -r .created "$result")
branch="register/issue-${ISSUE_NUMBER}"

if git diff --quiet -- roster.json; then
  echo "register-pr: ${handle} is already in ${cohort} with these details"
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

url=$(gh pr list --repo "$GITHUB_REPOSITORY" --head "$branch" --state open --json url --jq '.[0].url // ""')
if [ -z "$url" ]; then
  verb=$([ "$created" = "true" ] && echo "Adds" || echo "Updates")
  body=$(printf '%s learner `%s` in cohort `%s` (path `%s`), from the registration form in #%s.\n\nThe plan comment below shows the learning room this creates. Merge to provision it.\n\nCloses #%s\n' \
    "$verb" "$handle" "$cohort" "$path" "$ISSUE_NUMBER" "$ISSUE_NUMBER")
  url=$(gh pr create --repo "$GITHUB_REPOSITORY" --base main --head "$branch" --title "Register ${handle} in ${cohort}" --body "$body")
fi
echo "register-pr: ${url}"
echo "url=${url}" >> "$GITHUB_OUTPUT"
