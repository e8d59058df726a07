#!/usr/bin/env bash
# Two revisions of this repository measured the same way, in alternating sessions on the same
# machine (how the ledger's cost and the GraphQL edge's read figures were measured, perf/README.md).
#
#   bash perf/compare.sh ingest BEFORE AFTER [sessions=3]     e.g. ingest 57355fc 335b101
#   bash perf/compare.sh read   BEFORE AFTER [sessions=3]     e.g. read 8c0d4b8 93cc2a3
#
# Each session: a fresh clone of the revision under target/compare/, its dev stack (`mvn -Pdev`,
# free ports, its own process group), then the probe of this checkout (so both revisions are
# measured by the same probe) against that stack; then the stack is stopped (only its own
# processes).
#   ingest: the rate limits off (perf/dev-limits.sh), one 20 s warm-up, then three runs of
#           `java perf/LoadProbe.java ingest 8 20 100` (durable signals/s);
#   read:   `bash perf/read-ratio.sh 3 20 50` (tenantCoherence and /health/live at 50
#           connections, alternating; the median of each and their ratio).
# Prints every run and, per revision, the medians. Needs nothing else running.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { sed -n 2,16p "$0"; exit 2; }
probe=$1 before=$2 after=$3 sessions=${4:-3}
case $probe in ingest|read) ;; *) echo "probe: ingest or read" >&2; exit 2 ;; esac
repo=$(pwd)
work=$repo/target/compare
rm -rf "$work"; mkdir -p "$work"
for rev in "$before" "$after"; do
  git clone -q "$repo" "$work/$rev"
  git -C "$work/$rev" checkout -q "$rev"
done

. perf/dev-limits.sh

measure() { # REV LABEL DESCRIPTOR: appends "REV figure..." lines to results
  export COHERENCE_DEVSTACK=$3
  if [ "$probe" = ingest ]; then
    lift_rate_limits "$3" compare
    java perf/LoadProbe.java ingest 8 20 100 > /dev/null
    for run in 1 2 3; do
      rate=$(java perf/LoadProbe.java ingest 8 20 100 | sed -n 's/.*signals\/s=\([0-9]*\).*/\1/p')
      echo "$2 run $run: $rate signals/s (load $(cut -d' ' -f1 /proc/loadavg))"
      echo "$1 $rate" >> "$work/results"
    done
  else
    bash perf/read-ratio.sh 3 20 50 | tee "$work/$2.read"
    sed -n 's/^median health=\([0-9]*\) read=\([0-9]*\) ratio=\([0-9.]*\)%$/\1 \2 \3/p' "$work/$2.read" \
      | while read -r h r q; do echo "$1 $r $h $q" >> "$work/results"; done
    echo "(load $(cut -d' ' -f1 /proc/loadavg))"
  fi
}

session() { # REV LABEL: one dev-stack session
  local dir=$work/$1 log=$work/$2.log
  rm -f "$dir/target/devstack/devstack.json"
  (cd "$dir" && exec setsid mvn -B -ntp -Pdev) > "$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do
    [ -f "$dir/target/devstack/devstack.json" ] && grep -q 'Coherence is ready' "$log" && break
    kill -0 "$pid" 2>/dev/null || { echo "$2: the dev stack stopped, see $log" >&2; exit 1; }
    sleep 2
  done
  measure "$1" "$2" "$dir/target/devstack/devstack.json"
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  sleep 8
}

for s in $(seq 1 "$sessions"); do
  session "$before" "before-$s"
  session "$after" "after-$s"
done
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
for rev in "$before" "$after"; do
  if [ "$probe" = ingest ]; then
    m=$(grep "^$rev " "$work/results" | cut -d' ' -f2 | median)
    printf "%s: median %d signals/s over %d runs\n" "$rev" "$m" "$(grep -c "^$rev " "$work/results")"
  else
    r=$(grep "^$rev " "$work/results" | cut -d' ' -f2 | median)
    h=$(grep "^$rev " "$work/results" | cut -d' ' -f3 | median)
    q=$(grep "^$rev " "$work/results" | cut -d' ' -f4 | median)
    printf "%s: median of sessions: read %d/s, health %d/s, ratio %s%%\n" "$rev" "$r" "$h" "$q"
  fi
done
