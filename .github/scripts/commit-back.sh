#!/usr/bin/env bash
# Usage: commit-back.sh MESSAGE PATH... -- COMMAND [ARG...]
#
# Commits the records a workflow produced (roster, provisioning log, state) to main. COMMAND
# regenerates them on the current checkout; it runs on the newest main, and again from scratch
# whenever the push is rejected because another run pushed first. Regenerating instead of
# rebasing keeps the roster and the hash-chained log consistent: a textual merge of two JSON
# edits can conflict or, worse, merge into something no run wrote. COMMAND must therefore read
# its inputs (plan, apply stream, reports) from outside the work tree.
#
# Environment: GH_TOKEN (contents: write on this repository), GITHUB_SERVER_URL, GITHUB_REPOSITORY.
# The token is handed to git per command, never stored in .git/config, so that no other step
# (Terraform, the provider, npm packages) can read it from the work tree.
set -euo pipefail

message=$1
shift
paths=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  paths+=("$1")
  shift
done
[ "${1:-}" = "--" ] || { echo "commit-back: expected -- before the command" >&2; exit 2; }
shift
[ $# -gt 0 ] || { echo "commit-back: no command to regenerate the records" >&2; exit 2; }

auth=$(printf 'x-access-token:%s' "$GH_TOKEN" | base64 -w0)
echo "::add-mask::$auth"
unset GH_TOKEN # COMMAND (record, progress) has no use for it
git_auth() { git -c "http.${GITHUB_SERVER_URL}/.extraheader=AUTHORIZATION: basic ${auth}" "$@"; }

git config user.name 'github-actions[bot]'
git config user.email '41898282+github-actions[bot]@users.noreply.github.com'

for attempt in 1 2 3 4 5 6; do
  git_auth fetch --quiet origin main
  git checkout --quiet --detach
  git reset --quiet --hard origin/main
  "$@"
  present=()
  for p in "${paths[@]}"; do [ -e "$p" ] && present+=("$p"); done
  # --force: state/*.tfstate is ignored in a development clone, but here it is a record.
  [ ${#present[@]} -eq 0 ] || git add --all --force -- "${present[@]}"
  if git diff --cached --quiet; then
    echo "commit-back: nothing changed"
    exit 0
  fi
  git commit --quiet -m "$message"
  if git_auth push --quiet origin HEAD:refs/heads/main; then
    echo "commit-back: pushed $(git rev-parse --short HEAD) (attempt $attempt)"
    exit 0
  fi
  echo "commit-back: main moved on; regenerating on the new main" >&2
  sleep $((attempt * ${COMMIT_BACK_BACKOFF_SECONDS:-2} + RANDOM % (${COMMIT_BACK_BACKOFF_SECONDS:-2} * 2 + 1)))
done
echo "commit-back: gave up after $attempt attempts; the records are in this run's artifacts" >&2
exit 1
