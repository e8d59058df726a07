#!/usr/bin/env bash
# Durable HTTP ingest against its raw batched-write ceiling (issue 16: the service's goal is >= 75 %),
# on the same Neo4j in the same run. Needs the dev stack running (`mvn -Pdev`, terminal 1):
#
#   bash perf/ingest-ceiling.sh [rounds=3] [seconds=20] [warmup=20]
#
# One warm-up run of each side, then `rounds` times: the ceiling (perf/IngestCeiling.java: the
# official driver, UNWIND ... MERGE of new signals on the full identity, batches of 1,000,
# 2 writers) and the service (`java perf/LoadProbe.java ingest 8 SECONDS 100`), alternately.
# Around every service run it reads the service's /metrics: transactions the group commit formed,
# their mean size and time inside Neo4j (ingest_transaction_signals, ingest_transaction_duration_seconds),
# the INGEST ledger entries by statement, and the materializer's time (it re-sums tenant-123's
# window on Neo4j while the service run writes it; the ceiling's tenants are never scored).
# Around every run it also reads the CPU seconds of Neo4j, Liberty and the client. Prints every run,
# both medians and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3} seconds=${2:-20} warmup=${3:-20}
stack=${COHERENCE_DEVSTACK:-target/devstack/devstack.json}
[ -f "$stack" ] || { echo "no $stack: start the dev stack first (mvn -Pdev)" >&2; exit 2; }
# The rate limits off (the dev stack's 5,000 signals/s per tenant capped this benchmark until
# 2026-12-03: every service figure before was the limit, not the service).
. perf/dev-limits.sh
perf_limits_file=
metrics_url=$(sed -n 's/.*"metricsUrl" *: *"\([^"]*\)".*/\1/p' "$stack")

mkdir -p target
# The service's own driver version (pom.xml), from the local repository.
mvn -B -q -o dependency:build-classpath -DincludeScope=compile \
    -DincludeGroupIds=org.neo4j.driver,org.neo4j.bolt,org.reactivestreams,io.projectreactor,io.netty \
    -Dmdep.outputFile=target/perf-ceiling-classpath.txt >/dev/null 2>target/perf-ceiling-mvn.log \
  || { cat target/perf-ceiling-mvn.log >&2; exit 1; }
cp=$(sed 's/\x1b\[[0-9;]*m//g' target/perf-ceiling-classpath.txt)

ceiling() { java -cp "$cp" perf/IngestCeiling.java "$1" 2 1000; }
service() { java perf/LoadProbe.java ingest 8 "$1" 100; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# Where the two cores go: CPU seconds (user + system) of the process listening on a port, and of
# this script's children (the client JVMs), read around each run. On a 2-core machine the client,
# Liberty and Neo4j share the cores: the ceiling's Neo4j gets nearly both, the service's does not.
port_of() { sed -E 's#.*:([0-9]+)/?.*#\1#' <<< "$1"; }
pid_on() { ss -ltnpH "sport = :$1" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
neo4j_pid=$(pid_on "$(port_of "$(sed -n 's/.*"neo4jUri" *: *"\([^"]*\)".*/\1/p' "$stack")")")
liberty_pid=$(pid_on "$(port_of "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["graphqlUrl"].rsplit("/graphql",1)[0])' \
  "$stack")")")
hz=$(getconf CLK_TCK)
# Runs a client command; prints its output, then "cpu s: neo4j N liberty L client C" for the run.
measured() {
  local n0 l0 c0 out self=$BASHPID
  n0=$(ticks "$neo4j_pid") l0=$(ticks "$liberty_pid")
  c0=$(awk '{ print $16 + $17 }' "/proc/$self/stat")
  out=$("$@")
  echo "$out"
  awk -v n="$(( $(ticks "$neo4j_pid") - n0 ))" -v l="$(( $(ticks "$liberty_pid") - l0 ))" \
      -v c="$(( $(awk '{ print $16 + $17 }' "/proc/$self/stat") - c0 ))" -v hz="$hz" \
      'BEGIN { printf "cpu s: neo4j %.1f liberty %.1f client %.1f\n", n / hz, l / hz, c / hz }'
}
# The sum of a metric's samples (all label sets, or those matching a label filter).
metric() { # SNAPSHOT NAME [LABEL-FILTER]
  awk -v n="$2" -v f="${3:-}" 'index($0, n) == 1 && (substr($0, length(n) + 1, 1) ~ /[{ ]/) && index($0, f) { s += $NF }
    END { printf "%.6f\n", s }' "$1"
}

lift_rate_limits "$stack" ingest-ceiling
echo "warm-up: ${warmup} s ceiling, ${warmup} s service (load $(load))"
ceiling "$warmup" > /dev/null
service "$warmup" > /dev/null

results=$(mktemp)
before=$(mktemp) after=$(mktemp)
trap 'rm -f "$results" "$before" "$after" "$perf_limits_file"' EXIT
for r in $(seq 1 "$rounds"); do
  out=$(measured ceiling "$seconds")
  rate=$(sed -n 's/.*signals\/s=\([0-9]*\).*/\1/p' <<< "$out")
  echo "round $r ceiling: $rate signals/s, transaction $(sed -n 's/^transaction ms //p' <<< "$out") ms (load $(load))"
  echo "  $(grep '^cpu s:' <<< "$out") over $(sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' <<< "$out") s"
  echo "ceiling $rate" >> "$results"

  curl -sf "$metrics_url" > "$before"
  out=$(measured service "$seconds")
  curl -sf "$metrics_url" > "$after"
  rate=$(sed -n 's/.*signals\/s=\([0-9]*\).*/\1/p' <<< "$out")
  elapsed=$(sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' <<< "$out")
  d() { awk -v a="$(metric "$after" "$@")" -v b="$(metric "$before" "$@")" 'BEGIN { printf "%.6f", a - b }'; }
  tx=$(d ingest_transaction_signals_count) signals=$(d ingest_transaction_signals_sum)
  busy=$(d ingest_transaction_duration_seconds_sum)
  upsert=$(d ledger_ingest_entries_total 'statement="upsert"') separate=$(d ledger_ingest_entries_total 'statement="separate"')
  scoring=$(d materializer_run_duration_seconds_sum)
  echo "round $r service: $rate signals/s, request $(sed -n 's/^latency ms //p' <<< "$out") ms (load $(load))"
  errors=$(sed -n 's/.*errors=\([0-9]*\).*/\1/p' <<< "$out")
  [ "${errors:-0}" -eq 0 ] || echo "  $errors requests refused: $(grep '^errors by' <<< "$out") (this run measured a refusal, not the capacity)"
  echo "  $(grep '^cpu s:' <<< "$out") over ${elapsed} s"
  awk -v tx="$tx" -v s="$signals" -v busy="$busy" -v el="$elapsed" -v up="$upsert" -v sep="$separate" -v m="$scoring" 'BEGIN {
    if (tx > 0) printf "  group commit: %d transactions, %.0f signals each, %.1f ms each in Neo4j; writer inside Neo4j %.0f %% of %.1f s; ledger entries in the upsert %d, separate %d; materializer runs %.1f s\n",
      tx, s / tx, busy * 1000 / tx, 100 * busy / el, el, up, sep, m }'
  echo "service $rate" >> "$results"
done

median() { grep "^$1 " "$results" | cut -d' ' -f2 | sort -n | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
c=$(median ceiling) s=$(median service)
awk -v c="$c" -v s="$s" -v n="$rounds" 'BEGIN { printf "median of %d: ceiling %d signals/s, service %d signals/s, service/ceiling %.0f %% (goal >= 75 %%)\n", n, c, s, 100 * s / c }'
