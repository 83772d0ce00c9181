#!/usr/bin/env bash
# A new teacher's path, from `learning-rooms init --front-door` to a learner who registered in the
# public front door with a room, against the GitHub double (tools/github-double/seed.first-hour.json:
# the first hour's Apps, environments, ruleset and labels already set up) and real Terraform. Run
# after `npm ci`, from anywhere.
#
# Usage: scripts/rehearse-first-hour.sh [WORK_DIR]     (default: a new temporary folder)
# Needs: node, terraform, curl, jq; the integrations/github provider 6.9.0 from the Terraform
# registry, or a filesystem mirror holding it in LEARNING_ROOMS_PROVIDER_MIRROR. Without the
# provider it stops, saying so, once everything before `terraform plan` has run.
# Environment: PORT (default 8765) for the double.
#
# Steps: init the admin repository and its front door -> push their files into the double's
# workshop-admin and register -> lock the provider -> doctor (every check ok) -> a learner opens a
# request in the front door -> the front door's workflow hands it over (repository_dispatch) -> the
# admin side answers on it (enrol-request) -> Enrol puts it in the review pull request -> the
# facilitator merges -> validate and synth with the repository's settings -> prepare-stack (the
# trusted folder) -> terraform init / plan / apply as the provisioning App -> record (roster and
# log), committed back -> Enrol tells the learner their room is ready and closes the request.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
port=${PORT:-8765}
base="http://127.0.0.1:${port}"
owner=learning-rooms-example
admin="$work/workshop-admin"
front="$work/register"
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

step "init: the admin repository and its public front door"
lr init "$admin" --owner "$owner" --template "$owner/learning-room-template" --cohort "$cohort" --front-door "$front" ${TOOL_REF:+--tool-ref "$TOOL_REF"}

step "lock the provider"
lock_args=(--out "$admin/.terraform.lock.hcl" --run)
# A mirror may hold this machine's platform only: lock that one (the registry gives all four).
if [ -n "${LEARNING_ROOMS_PROVIDER_MIRROR:-}" ]; then lock_args+=(--fs-mirror "$LEARNING_ROOMS_PROVIDER_MIRROR" --platform "$(terraform version -json | jq -r .platform)"); fi
locked=true
lr lock-providers "${lock_args[@]}" || locked=false

push() { # DIR REPO: every file of DIR into the double's REPO, as a push of what init wrote
  (cd "$1" && find . -type f ! -path './cdktf.out/*' | sed 's|^\./||' | sort) | while read -r path; do
    jq -n --arg repo "$2" --arg path "$path" --rawfile content "$1/$path" '{repo: $repo, path: $path, content: $content}' \
      | curl -fs -XPOST "$base/_admin/write_file" -d @- > /dev/null
  done
}
step "push the admin repository to $owner/workshop-admin and the front door to $owner/register"
push "$admin" "$owner/workshop-admin"
push "$front" "$owner/register"

step "doctor"
GITHUB_TOKEN=dummy-token-not-a-secret GITHUB_BASE_URL="$base" lr doctor --repo "$owner/workshop-admin" || [ "$locked" = false ]

# The registration and records Apps, as the seed's tokens stand for them.
registration_token=registration-token-not-a-secret
records_token=records-token-not-a-secret
enrol_env=(LEARNING_ROOMS_FRONT_DOOR_REPOSITORY="$owner/register" PROVISIONING_STUDENT_OWNER="$owner" GITHUB_BASE_URL="$base"
  FRONT_DOOR_TOKEN="$registration_token" REGISTRATION_TOKEN="$registration_token" RECORDS_TOKEN="$records_token")
comment() { curl -fs "$base/api/v3/repos/$owner/register/issues/1/comments" -H "Authorization: Bearer $registration_token" | jq -r '.[-1].body' | sed 1d; }

step "a learner registers: $learner opens the form in the front door"
printf '### Cohort\n\n%s\n\n### Learning path\n\nweb\n\n### Enrolment code\n\n_No response_\n' "$cohort" > "$work/issue.md"
jq -n --arg repo "$owner/register" --arg author "$learner" --rawfile body "$work/issue.md" \
  '{repo: $repo, title: "Registration request", body: $body, author: $author, labels: ["registration"]}' \
  | curl -fs -XPOST "$base/_admin/issues" -d @- > /dev/null

step "the front door hands the request over (its workflow's step)"
GH_TOKEN="$registration_token" ADMIN_REPOSITORY="$owner/workshop-admin" GITHUB_REPOSITORY="$owner/register" ISSUE_NUMBER=1 \
  GITHUB_API_URL="$base/api/v3" "$here/.github/scripts/front-door-dispatch.sh"
payload=$(curl -fs "$base/_admin/dispatches?repo=$owner/workshop-admin" | jq -c '.[-1].client_payload')
echo "dispatch payload: $payload"

step "the admin side answers on the request (the Register workflow's step)"
(cd "$admin" && env "${enrol_env[@]}" node "$here/bin/learning-rooms.js" enrol-request roster.json \
  --repository "$(jq -r .repository <<< "$payload")" --issue "$(jq -r .issue_number <<< "$payload")" --request-interval 0)
comment

step "Enrol (every 15 minutes): the request goes into the review pull request"
env "${enrol_env[@]}" node "$here/bin/learning-rooms.js" enrol --repository "$owner/workshop-admin" --request-interval 0

step "the facilitator merges it"
pull=$(curl -fs "$base/api/v3/repos/$owner/workshop-admin/pulls?state=open" -H "Authorization: Bearer $registration_token" | jq -r '.[0].number')
curl -fs "$base/api/v3/repos/$owner/workshop-admin/contents/roster.json?ref=registrations/review" -H "Authorization: Bearer $registration_token" \
  | jq -r .content | base64 -d > "$admin/roster.json"
# The double marks a pull request merged; the branch's roster goes to main as the merge would put it.
jq -n --arg repo "$owner/workshop-admin" --rawfile content "$admin/roster.json" --arg m "Merge pull request #$pull" '{repo: $repo, path: "roster.json", content: $content, message: $m}' \
  | curl -fs -XPOST "$base/_admin/write_file" -d @- > /dev/null
curl -fs -XPATCH "$base/_admin/issues" -d "{\"repo\": \"$owner/workshop-admin\", \"number\": $pull, \"merged\": true, \"closed_by\": \"operator\"}" > /dev/null

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

step "the records committed back (what Apply's post-step pushes), and Enrol answers the learner"
jq -n --arg repo "$owner/workshop-admin" --rawfile content roster.json '{repo: $repo, path: "roster.json", content: $content, message: "learning-rooms: records [skip ci]"}' \
  | curl -fs -XPOST "$base/_admin/write_file" -d @- > /dev/null
env "${enrol_env[@]}" node "$here/bin/learning-rooms.js" enrol --repository "$owner/workshop-admin" --request-interval 0
comment
curl -fs "$base/api/v3/repos/$owner/register/issues/1" -H "Authorization: Bearer $registration_token" | jq -r '"request #1: \(.state) (\(.state_reason))"'
curl -fs -XPOST "$base/_admin/accept_invites" -d '{}' > /dev/null
curl -fs "$base/_admin/state" | jq --arg r "$owner/$cohort-$learner" '.repos[] | select(.full_name == $r)'
[ "$applied" -eq 0 ]
echo "done: $learner registered in the front door and has a room ($owner/$cohort-$learner); records in $admin"
