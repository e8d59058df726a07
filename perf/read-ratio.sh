#!/usr/bin/env bash
# tenantCoherence next to the same server's trivial request, in one run (issue 16's read goal:
# reads at 50 connections ≥ 50 % of /health/live's throughput, 0 errors).
#
#   mvn -Pdev                                          # terminal 1: the embedded stack
#   bash perf/read-ratio.sh [rounds=3] [seconds=20] [clients=50]
#   COHERENCE_READ_WARMUP=120 (seconds of read load before the rounds; half as long for health)
#
# With the rate limits off, alternates `java perf/LoadProbe.java health` and `... read` (health first in odd rounds, read
# first in even ones, so warm-up favours neither), then prints each round's figures and the ratio
# of the median throughputs. The probe runs on the same cores as the server: both sides pay it.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-20}
clients=${3:-50}
descriptor=${COHERENCE_DEVSTACK:-target/devstack/devstack.json}
[ -f "$descriptor" ] || { echo "no dev stack (start mvn -Pdev first)" >&2; exit 1; }
# The rate limits off for the run (the dev stack's tenant limit, 500/s, would answer most reads 429).
. perf/dev-limits.sh
out=$(mktemp -d)
perf_limits_file=
trap 'rm -rf "$out" "$perf_limits_file"' EXIT
lift_rate_limits "$descriptor" read-ratio

# JIT warm-up of both paths: the read path's throughput climbs for about two minutes of load
# after a start (706, 881, 1,577, 2,272/s in successive 20 s runs), /health/live's for less.
warmup=${COHERENCE_READ_WARMUP:-120}
java perf/LoadProbe.java read "$clients" "$warmup" > /dev/null
java perf/LoadProbe.java health "$clients" $((warmup / 2)) > /dev/null
echo "mode round ok/s p50 p95 p99 errors"
for round in $(seq 1 "$rounds"); do
  order="health read"; [ $((round % 2)) -eq 0 ] && order="read health"
  for mode in $order; do
    java perf/LoadProbe.java "$mode" "$clients" "$seconds" > "$out/$mode-$round.txt"
    rps=$(sed -n 's/.* \(reads\|answers\)\/s=\([0-9]*\).*/\2/p' "$out/$mode-$round.txt")   # answered without error
    errors=$(sed -n 's/.*errors=\([0-9]*\).*/\1/p' "$out/$mode-$round.txt")
    lat=$(sed -n 's/latency ms p50=\([0-9.]*\) p95=\([0-9.]*\) p99=\([0-9.]*\).*/\1 \2 \3/p' "$out/$mode-$round.txt")
    echo "$mode $round $rps $lat $errors"
    echo "$rps" >> "$out/$mode.rps"
  done
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
health=$(median "$out/health.rps")
read=$(median "$out/read.rps")
awk -v h="$health" -v r="$read" 'BEGIN { printf "median health=%d read=%d ratio=%.1f%%\n", h, r, 100 * r / h }'
