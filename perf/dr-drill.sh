#!/usr/bin/env bash
# The backup/restore drill on the single-box install (the dev stack with kept data), measured:
#
#   bash perf/dr-drill.sh [--before S] [--after S] [--rate N] [--tenants N] [--out DIR]
#
# 1. starts a stack on a new data directory and a client load (perf/DrDrill.java: one client per
#    tenant dr-1 …, batches of 10 signals, N signals/s in total, every signal sent and every
#    acknowledgement recorded);
# 2. after --before seconds (30) backs up: stops the stack, runs src/main/tools/backup.sh, starts
#    it again (the load keeps retrying through the gap, as clients do);
# 3. keeps ingesting for --after seconds (60), then fails the stack: kill -9 of every process;
# 4. restores the backup into a fresh directory (src/main/tools/restore.sh) and starts a stack on it;
# 5. checks the restored stack (DrDrill check): acknowledged signals missing (the RPO) and none of
#    those acknowledged before the backup, the served scores equal to the weighted mean of exactly
#    the signals present (the RTO ends when they do), every tenant's ledger valid; then the client
#    sends its missing acknowledged signals again and everything is checked once more.
#
# Writes OUT/timings.json (default target/dr) with the times and the check's counts, and prints it.
# Needs port 9080 free (no other dev stack). Takes about 4 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

before=30 after=60 rate=400 tenants=4 out=target/dr
while [ $# -gt 0 ]; do
  case $1 in
    --before) before=$2; shift 2 ;;
    --after) after=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --tenants) tenants=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if ss -ltnH 'sport = :9080' | grep -q .; then
  echo "port 9080 is in use: stop the other dev stack first" >&2; exit 2
fi

. perf/devstack.sh
now_ms() { date +%s%3N; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/coherence-dr.XXXXXX")
records=$out/records.txt
rm -f "$records" "$records.after-backup"
load_pid=
cleanup() {
  [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null || true
  devstack_stop
  rm -rf "$work"
}
trap cleanup EXIT

# The client's class path: the Neo4j driver (for the check) and Nimbus (tokens), from ~/.m2.
mvn -B -q -o dependency:build-classpath -DincludeScope=compile \
    -DincludeGroupIds=org.neo4j.driver,org.neo4j.bolt,org.reactivestreams,io.projectreactor,io.netty,com.nimbusds,com.github.stephenc.jcip \
    -Dmdep.outputFile="$out/classpath.txt" >/dev/null 2>"$out/mvn.log" \
  || { cat "$out/mvn.log" >&2; exit 1; }
cp=$(sed 's/\x1b\[[0-9;]*m//g' "$out/classpath.txt")
stack=target/devstack/devstack.json
# The limits of the dev stack are not what this measures; the default rate stays far below them.
ready_after() { # LOG DATA_DIR: starts a stack on DATA_DIR, returns when it is ready
  rm -f "$stack"
  devstack_start "$1" COHERENCE_DEV_DATA="$2"
}

echo "[drill] starting a stack on $work/data"
ready_after "$out/stack-1.log" "$work/data"
java -cp "$cp" perf/DrDrill.java load "$stack" "$records" "$tenants" "$rate" > "$out/load.log" 2>&1 &
load_pid=$!
sleep "$before"

echo "[drill] backup: stop, archive, start"
t_backup=$(now_ms)
devstack_stop
t_stopped=$(now_ms)
bash src/main/tools/backup.sh "$work/data" "$work/backup.tgz"
t_archived=$(now_ms)
touch "$records.after-backup"
ready_after "$out/stack-2.log" "$work/data"
t_back=$(now_ms)

sleep "$after"
echo "[drill] failure: kill -9 of the stack"
t_fail=$(now_ms)
kill -KILL -- "-$devstack_pid" 2>/dev/null || true
wait "$devstack_pid" 2>/dev/null || true
devstack_pid=
kill "$load_pid" 2>/dev/null || true
wait "$load_pid" 2>/dev/null || true
load_pid=
# The watchdog stops what the launcher left (PostgreSQL, Redis, Liberty) once it sees it gone.
for _ in $(seq 1 60); do
  ss -ltnH 'sport = :9080' | grep -q . || break
  sleep 0.5
done

echo "[drill] restore into a fresh directory and start"
bash src/main/tools/restore.sh "$work/backup.tgz" "$work/restored"
t_restored=$(now_ms)
ready_after "$out/stack-3.log" "$work/restored"
t_ready=$(now_ms)
java -cp "$cp" perf/DrDrill.java check "$stack" "$records" "$tenants" "$t_backup" "$out/check.json" > "$out/check.log" 2>&1 \
  || { cat "$out/check.log" >&2; exit 1; }
t_correct=$(sed -n 's/.*"scoresCorrectAtMillis": \([0-9]*\).*/\1/p' "$out/check.json")

backup_bytes=$(stat -c %s "$work/backup.tgz")
python3 - "$out/timings.json" "$out/check.json" <<PY
import json, sys
check = json.load(open(sys.argv[2]))
s = lambda a, b: round((b - a) / 1000.0, 1)
timings = {
  "machine": "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)",
  "load": {"tenants": $tenants, "signalsPerSecond": $rate, "secondsBeforeBackup": $before, "secondsAfterBackup": $after},
  "backup": {"stopSeconds": s($t_backup, $t_stopped), "archiveSeconds": s($t_stopped, $t_archived),
             "downtimeSeconds": s($t_backup, $t_back), "archiveBytes": $backup_bytes},
  "rpo": {"backupToFailureSeconds": s($t_backup, $t_fail),
          "acknowledgedMissing": check["acknowledgedMissing"],
          "acknowledgedBeforeBackupMissing": check["acknowledgedBeforeBackupMissing"],
          "missingAcknowledgedSpanSeconds": check.get("missingAcknowledgedSpanSeconds", 0)},
  "rto": {"seconds": s($t_fail, $t_correct), "restoreSeconds": s($t_fail, $t_restored),
          "startSeconds": s($t_restored, $t_ready), "readyToCorrectScoresSeconds": s($t_ready, $t_correct)},
  "reconciliation": check,
}
json.dump(timings, open(sys.argv[1], "w"), indent=2)
print(json.dumps(timings, indent=2))
PY
