#!/usr/bin/env bash
# A new teacher's path, from `learning-rooms init` to a registered learner with a room, against
# the GitHub double (tools/github-double/seed.first-hour.json: the first hour's Apps, environments,
# ruleset and label already set up) and real Terraform. Run after `npm ci`, from anywhere.
#
# Usage: scripts/rehearse-first-hour.sh [WORK_DIR]     (default: a new temporary folder)
# Needs: node, terraform, curl, jq; the integrations/github provider 6.9.0 from the Terraform
# registry, or a filesystem mirror holding it in LEARNING_ROOMS_PROVIDER_MIRROR. Without the
# provider it stops, saying so, once everything before `terraform plan` has run.
# Environment: PORT (default 8765) for the double.
#
# Steps: init the admin repository -> push its files into the double's workshop-admin -> lock the
# provider -> doctor (every check ok) -> a learner registers (the Register workflow's command) ->
# validate and synth with the repository's settings -> prepare-stack (the trusted folder) ->
# terraform init / plan / apply as the provisioning App -> record (roster and log) -> the room.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
port=${PORT:-8765}
base="http://127.0.0.1:${port}"
owner=learning-rooms-example
admin="$work/admin"
cohort=2026-spring
learner=alice-nguyen
lr() { node "$here/bin/learning-rooms.js" "$@"; }
step() { printf '\n== %s\n' "$*"; }

step "keys of a throwaway GitHub App (the provisioning App, id 12345, installation 678)"
node -e "const k=require('$here/tools/github-double').generateAppKeyPair();const fs=require('fs');fs.writeFileSync('$work/app.pem',k.privateKeyPem);fs.writeFileSync('$work/app.pub.pem',k.publicKeyPem)"

step "the double on $base"
node "$here/tools/github-double/dist/src/cli.js" --seed "$here/tools/github-double/seed.first-hour.json" --port "$port" --app-public-key "$work/app.pub.pem" > "$work/double.log" 2>&1 &
double=$!
trap 'kill "$double" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "$base/rate_limit" > /dev/null && break; sleep 0.2; done

step "init: the admin repository"
lr init "$admin" --owner "$owner" --template "$owner/learning-room-template" --cohort "$cohort" ${TOOL_REF:+--tool-ref "$TOOL_REF"}

step "lock the provider"
lock_args=(--out "$admin/.terraform.lock.hcl" --run)
# A mirror may hold this machine's platform only: lock that one (the registry gives all four).
if [ -n "${LEARNING_ROOMS_PROVIDER_MIRROR:-}" ]; then lock_args+=(--fs-mirror "$LEARNING_ROOMS_PROVIDER_MIRROR" --platform "$(terraform version -json | jq -r .platform)"); fi
locked=true
lr lock-providers "${lock_args[@]}" || locked=false

step "push the admin repository's files to $owner/workshop-admin"
(cd "$admin" && find . -type f ! -path './cdktf.out/*' | sed 's|^\./||' | sort) | while read -r path; do
  jq -n --arg repo "$owner/workshop-admin" --arg path "$path" --rawfile content "$admin/$path" '{repo: $repo, path: $path, content: $content}' \
    | curl -fs -XPOST "$base/_admin/write_file" -d @- > /dev/null
done

step "doctor"
GITHUB_TOKEN=dummy-token-not-a-secret GITHUB_BASE_URL="$base" lr doctor --repo "$owner/workshop-admin" || [ "$locked" = false ]

step "a learner registers: $learner opens the issue form"
printf '### Cohort\n\n%s\n\n### Learning path\n\nweb\n\n### Name (optional)\n\n_No response_\n\n### Email (optional)\n\n_No response_\n' "$cohort" > "$work/issue.md"
(cd "$admin" && lr register --issue-body-file "$work/issue.md" --roster roster.json --author "$learner" --author-type User --issue-number 1 --out "$work/register.json")

step "validate and synth with the repository's settings"
cd "$admin"
settings=$(lr gitops-env)
export $settings GITHUB_BASE_URL="$base/" LEARNING_ROOMS_WRITE_DELAY_MS=10 LEARNING_ROOMS_READ_DELAY_MS=10
lr validate roster.json
lr synth roster.json

step "the trusted folder"
if [ "$locked" = false ]; then
  echo "no provider lock file (the Terraform registry, or LEARNING_ROOMS_PROVIDER_MIRROR, is needed): stopping before terraform"
  exit 0
fi
run="$work/run/$cohort"
lr prepare-stack --dir "cdktf.out/stacks/$cohort" --out-dir "$run" --state-dir "$work/state"
export TF_CLI_CONFIG_FILE="$run.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

step "terraform init, plan, apply as the provisioning App"
cd "$run"
terraform init -input=false -no-color -lockfile=readonly
GITHUB_APP_ID=12345 GITHUB_APP_INSTALLATION_ID=678 GITHUB_APP_PEM_FILE="$(cat "$work/app.pem")" terraform plan -input=false -no-color -out=tfplan
terraform show -no-color -json tfplan > plan.json
set +e
GITHUB_APP_ID=12345 GITHUB_APP_INSTALLATION_ID=678 GITHUB_APP_PEM_FILE="$(cat "$work/app.pem")" terraform apply -input=false -no-color -json tfplan > apply.jsonl
applied=$?
set -e

step "record the outcome (the post-step)"
cd "$admin"
lr record --plan "$run/plan.json" --apply "$run/apply.jsonl" --index "cdktf.out/stacks/$cohort/learners.json" \
  --roster roster.json --log provisioning-log.json --run-id rehearsal-1 --commit rehearsal --summary-out "$work/summary.md"
cat "$work/summary.md"
curl -fs -XPOST "$base/_admin/accept_invites" -d '{}' > /dev/null
curl -fs "$base/_admin/state" | jq --arg r "$owner/$cohort-$learner" '.repos[] | select(.full_name == $r)'
[ "$applied" -eq 0 ]
echo "done: $learner has a room ($owner/$cohort-$learner); records in $admin"
