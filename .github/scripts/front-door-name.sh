#!/usr/bin/env bash
# Usage: front-door-name.sh   (after the settings were loaded into the environment)
#
# Splits LEARNING_ROOMS_FRONT_DOOR_REPOSITORY (config/gitops.json) into the step outputs `owner`
# and `name`, for the App token minted for the front door alone, and gives this repository's own
# name as `admin` (a scheduled run's event carries no repository); stops with what to do when the
# setting is missing or malformed.
# Environment: LEARNING_ROOMS_FRONT_DOOR_REPOSITORY, GITHUB_REPOSITORY, GITHUB_OUTPUT.
set -euo pipefail
value=${LEARNING_ROOMS_FRONT_DOOR_REPOSITORY:-}
if ! [[ "$value" =~ ^([A-Za-z0-9-]+)/([A-Za-z0-9._-]+)$ ]]; then
  echo "config/gitops.json: LEARNING_ROOMS_FRONT_DOOR_REPOSITORY: expected owner/name of the public front door, found \"$value\" (learning-rooms init --front-door writes it)" >&2
  exit 1
fi
echo "owner=${BASH_REMATCH[1]}" >> "$GITHUB_OUTPUT"
echo "name=${BASH_REMATCH[2]}" >> "$GITHUB_OUTPUT"
echo "admin=${GITHUB_REPOSITORY#*/}" >> "$GITHUB_OUTPUT"
