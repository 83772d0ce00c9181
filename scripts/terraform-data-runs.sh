#!/usr/bin/env bash
# Real Terraform plan/apply output for the post-step's tests, without any provider download:
# built-in `terraform_data` resources stand in for a learner's repository, collaborator and file,
# and a failing `local-exec` provisioner prints a GitHub-shaped error (as go-github formats it),
# which Terraform reports as a real error diagnostic.
#
# Usage: scripts/terraform-data-runs.sh OUTDIR     (Terraform from $TERRAFORM or PATH)
# Writes, per step NN: NN-plan.json (show -json), NN-apply.jsonl (apply -json), NN-learners.json
# (the learner index for that configuration) and exit-codes.txt.
#
# Steps (cohort "tfdata", learners alice, carol, dave):
#   01 alice ok; carol's repository fails (422 name clash, dependents never attempted);
#      dave's repository and file are created but his collaborator fails (403 permission)
#   02 faults cleared: carol created, dave healed (collaborator), alice unchanged
#   03 carol taken out of the configuration as synthesis does it (repository destroyed = archived,
#      collaborator and file forgotten by removed blocks; listed in the index, not admitted),
#      alice's file changed (healed)
set -euo pipefail
out=${1:?usage: $0 OUTDIR}
tf=${TERRAFORM:-terraform}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: >"$work/cli.tfrc"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
: >"$out/exit-codes.txt"

fail() { # a local-exec that fails with a GitHub-shaped message on stderr
  printf '[{"local-exec":{"command":"echo %s >&2; exit 1"}}]' "'$1'"
}

# learner HANDLE REPO_FAULT COLLAB_FAULT FILE_CONTENT -> JSON members for one learner
learner() {
  local h=$1 repo_fault=$2 collab_fault=$3 content=$4
  local repo_prov='' collab_prov=''
  [ -n "$repo_fault" ] && repo_prov=",\"provisioner\":$(fail "$repo_fault")"
  [ -n "$collab_fault" ] && collab_prov=",\"provisioner\":$(fail "$collab_fault")"
  cat <<JSON
  "learner-$h":{"input":{"name":"tfdata-$h"}$repo_prov},
  "learner-$h--collaborator":{"input":{"repository":"tfdata-$h","username":"$h"},"depends_on":["terraform_data.learner-$h"]$collab_prov},
  "learner-$h--github_workflows_ack_yml":{"input":{"repository":"tfdata-$h","content":"$content"},"depends_on":["terraform_data.learner-$h"]}
JSON
}

config() { # config MEMBERS... (comma-joined learner() outputs); $FORGET: addresses for removed blocks
  local removed='' a
  for a in ${FORGET:-}; do removed="$removed${removed:+,}{\"from\":\"$a\",\"lifecycle\":{\"destroy\":false}}"; done
  local IFS=,
  printf '{"resource":{"terraform_data":{\n%s\n}}%s}\n' "$*" "${removed:+,\"removed\":[$removed]}" >"$work/main.tf.json"
}

index() { # index NN HANDLE... (HANDLE:out = listed, not admitted, "archived:" reason, as synthesis lists a room it archives)
  local nn=$1; shift
  local first=1 h admitted extra
  {
    printf '{"format_version":1,"cohort_id":"tfdata","stack":"cohort-tfdata","owner":"acme","learners":['
    for h in "$@"; do
      admitted=true extra=''
      case $h in *:out) h=${h%:out} admitted=false extra=',"archived":true,"queued_reason":"archived: no longer in the roster; the room is archived, its files and the collaborator stay"' ;; esac
      [ $first = 1 ] || printf ','
      first=0
      printf '{"github_handle":"%s","cohort_id":"tfdata","repository":"tfdata-%s","admitted":%s%s,"addresses":{"repository":"terraform_data.learner-%s","collaborator":"terraform_data.learner-%s--collaborator","files":{".github/workflows/ack.yml":"terraform_data.learner-%s--github_workflows_ack_yml"}}}' "$h" "$h" "$admitted" "$extra" "$h" "$h" "$h"
    done
    printf ']}\n'
  } >"$out/$nn-learners.json"
}

run() { # run NN
  local nn=$1 code
  rm -f "$work/tfplan"
  (cd "$work" && "$tf" plan -input=false -json -out=tfplan >/dev/null) || true
  (cd "$work" && "$tf" show -json tfplan >"$out/$nn-plan.json")
  set +e
  (cd "$work" && "$tf" apply -input=false -json tfplan >"$out/$nn-apply.jsonl")
  code=$?
  set -e
  echo "$nn apply $code" >>"$out/exit-codes.txt"
}

(cd "$work" && "$tf" init -input=false >/dev/null)

NAME_CLASH='POST https://api.github.com/repos/acme/tmpl/generate?access_token=dummy-secret-value: 422 Repository creation failed. [{Resource:Repository Field:name Code:custom Message:name already exists on this account}]'
NO_ADMIN='PUT https://api.github.com/repos/acme/tfdata-dave/collaborators/dave: 403 Must have admin rights to Repository. []'

config "$(learner alice '' '' v1)" "$(learner carol "$NAME_CLASH" '' v1)" "$(learner dave '' "$NO_ADMIN" v1)"
index 01 alice carol dave
run 01

config "$(learner alice '' '' v1)" "$(learner carol '' '' v1)" "$(learner dave '' '' v1)"
index 02 alice carol dave
run 02

# As synthesis archives a room: the repository leaves the configuration (archive_on_destroy), its
# collaborator and files are forgotten through removed blocks (Terraform's "forget" action).
FORGET="terraform_data.learner-carol--collaborator terraform_data.learner-carol--github_workflows_ack_yml" \
  config "$(learner alice '' '' v2)" "$(learner dave '' '' v1)"
index 03 alice carol:out dave
run 03
