#!/usr/bin/env bash
# Usage: restore-state.sh STACK STATE_DIR
#
# For the default `git` backend: copies the cohort's Terraform state from the newest main
# (state/<stack>.tfstate) to STATE_DIR, where prepare-stack pointed the local backend. State is
# taken from main, never from the commit being planned: an apply that finished after that commit
# was made has pushed newer state. Other backends keep state remotely: nothing to do.
set -euo pipefail
stack=$1 dir=$2
[ "${LEARNING_ROOMS_BACKEND:-git}" = "git" ] || exit 0
mkdir -p "$dir"
if git cat-file -e "origin/main:state/${stack}.tfstate" 2>/dev/null; then
  git show "origin/main:state/${stack}.tfstate" > "${dir}/${stack}.tfstate"
  echo "restore-state: ${stack} from origin/main ($(git rev-parse --short origin/main))"
else
  echo "restore-state: no state for ${stack} on main yet (first apply of this cohort)"
fi
