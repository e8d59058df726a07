#!/usr/bin/env bash
# Runs every checked command block of the runbooks against a running dev stack, so that they cannot
# rot: a fenced block whose info string is `sh check` is run (in a list item too); `sh`, `bash` and
# `promql` blocks are only shown (destructive, Kubernetes-only or Prometheus steps).
# `sh check kafka` blocks need Kafka ingest (mvn -Pdev -Dkafka=true) and are skipped without it.
#
#   bash docs/runbooks/check.sh [--all] [-v] [PAGE.md ...]     # default: every page of docs/runbooks/
#
# Each block runs on its own, from the repository's root, as `bash -euo pipefail`, with only the
# variables of devstack-env.sh (BASE, TOKEN, ADMIN_TOKEN, TENANT, SERVER_DIR, PGURL,
# KAFKA_BOOTSTRAP): from the environment where set, else from target/devstack/devstack.json.
# Prints `ok FILE:LINE`, `FAIL FILE:LINE` with the block's output, or `skip FILE:LINE`; exits 1 if
# a block failed, if no block ran, or (with --all) if one was skipped. Override files a block left
# in the server's configDropins/overrides (zz-runbook-*.xml) are removed at the end. -v shows the
# output of the blocks that pass too.
set -uo pipefail
cd "$(dirname "$0")/../.."

all=false verbose=false
pages=()
for arg in "$@"; do
  case $arg in
    --all) all=true ;;
    -v) verbose=true ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "unknown option $arg" >&2; exit 2 ;;
    *) pages+=("$arg") ;;
  esac
done
[ ${#pages[@]} -gt 0 ] || pages=(docs/runbooks/*.md)

for tool in curl jq openssl psql awk timeout; do
  command -v "$tool" >/dev/null || { echo "check.sh needs $tool" >&2; exit 2; }
done
# shellcheck source=devstack-env.sh
source docs/runbooks/devstack-env.sh || exit 2
curl -fsS -o /dev/null "$BASE/health/live" || { echo "no Coherence answers at $BASE" >&2; exit 2; }
kafka=false
curl -fsS "$BASE/health/ready" | jq -e '.checks[] | select(.name == "kafka-consumer") | .data.enabled' >/dev/null && kafka=true

work=$(mktemp -d)
overrides=$SERVER_DIR/configDropins/overrides
before=$(ls "$overrides"/zz-runbook-*.xml 2>/dev/null || true)
cleanup() {
  local f
  for f in "$overrides"/zz-runbook-*.xml; do
    [ -e "$f" ] || continue
    grep -qxF "$f" <<<"$before" || { rm -f "$f"; echo "removed $f, left by a block"; }
  done
  rm -rf "$work"
}
trap cleanup EXIT

# One file per block (NNNN.sh) and a manifest line "NNNN<TAB>FILE:LINE<TAB>TAGS".
awk -v dir="$work" '
  FNR == 1 { inblock = 0 }
  !inblock && /^[ \t]*```sh check( |$)/ {
    n++; inblock = 1; out = sprintf("%s/%04d.sh", dir, n)
    match($0, /^[ \t]*/); indent = RLENGTH
    tags = substr($0, indent + 1); sub(/^```sh check ?/, "", tags)
    printf "%04d\t%s:%d\t%s\n", n, FILENAME, FNR, tags > (dir "/manifest")
    printf "" > out
    next
  }
  inblock && /^[ \t]*```[ \t]*$/ { inblock = 0; close(out); next }
  inblock {
    # A block inside a list item: drop the fence'"'"'s indentation.
    line = $0; match(line, /^[ \t]*/)
    print substr(line, (RLENGTH < indent ? RLENGTH : indent) + 1) > out
  }
' "${pages[@]}"
[ -f "$work/manifest" ] || { echo "no checked blocks in ${pages[*]}" >&2; exit 1; }

passed=0 failed=0 skipped=0
while IFS=$'\t' read -r n where tags; do
  if [[ " $tags " == *" kafka "* ]] && ! $kafka; then
    echo "skip $where (needs Kafka: mvn -Pdev -Dkafka=true)"
    skipped=$((skipped + 1))
    continue
  fi
  if timeout 120 bash -euo pipefail "$work/$n.sh" > "$work/$n.out" 2>&1 < /dev/null; then
    echo "ok $where"
    ! $verbose || sed 's/^/    /' "$work/$n.out"
    passed=$((passed + 1))
  else
    echo "FAIL $where"
    sed 's/^/    /' "$work/$n.out"
    failed=$((failed + 1))
  fi
done < "$work/manifest"

echo "runbooks: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ] && { ! $all || [ "$skipped" -eq 0 ]; }
