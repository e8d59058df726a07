#!/usr/bin/env bash
# Durable HTTP ingest throughput of two revisions of this repository, in alternating sessions on
# the same machine (how the ledger's cost was measured, perf/README.md "Ledger cost").
#
#   bash perf/ingest-compare.sh BEFORE AFTER [sessions=3]     e.g. 57355fc 335b101
#
# Each session: a fresh clone of the revision under target/ingest-compare/, its dev stack
# (`mvn -Pdev`, free ports, its own process group), one 20 s warm-up, then three runs of
# `java perf/LoadProbe.java ingest 8 20 100`; then the stack is stopped (only its own processes).
# Prints every run's signals/s and, per revision, the median and mean. Needs nothing running.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 2,11p "$0"; exit 2; }
before=$1 after=$2 sessions=${3:-3}
repo=$(pwd)
work=$repo/target/ingest-compare
rm -rf "$work"; mkdir -p "$work"
for rev in "$before" "$after"; do
  git clone -q "$repo" "$work/$rev"
  git -C "$work/$rev" checkout -q "$rev"
done

session() { # REV LABEL: one dev-stack session, appends "REV signals/s" lines to results
  local dir=$work/$1 log=$work/$2.log
  rm -f "$dir/target/devstack/devstack.json"
  (cd "$dir" && exec setsid mvn -B -ntp -Pdev) > "$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do
    [ -f "$dir/target/devstack/devstack.json" ] && grep -q 'Coherence is ready' "$log" && break
    kill -0 "$pid" 2>/dev/null || { echo "$2: the dev stack stopped, see $log" >&2; exit 1; }
    sleep 2
  done
  (cd "$dir" && java perf/LoadProbe.java ingest 8 20 100 > /dev/null)
  for run in 1 2 3; do
    rate=$(cd "$dir" && java perf/LoadProbe.java ingest 8 20 100 | sed -n 's/.*signals\/s=\([0-9]*\).*/\1/p')
    echo "$2 run $run: $rate signals/s (load $(cut -d' ' -f1 /proc/loadavg))"
    echo "$1 $rate" >> "$work/results"
  done
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  sleep 8
}

for s in $(seq 1 "$sessions"); do
  session "$before" "before-$s"
  session "$after" "after-$s"
done
for rev in "$before" "$after"; do
  grep "^$rev " "$work/results" | cut -d' ' -f2 | sort -n | awk -v rev="$rev" \
    '{v[NR]=$1; s+=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2;
      printf "%s: median %d, mean %d signals/s over %d runs\n", rev, m, s/NR, NR}'
done
