#!/usr/bin/env bash
# The read path's cost of the rate limiter and of the policy check, in one run.
#
#   mvn -Pdev                                        # terminal 1: the embedded stack
#   bash perf/read-path-cost.sh [rounds=3] [seconds=20] [clients=50]
#
# Rate limiter: alternates two settings of the running dev server through a configDropins file
# (the limits are re-read every second, no restart), `rounds` times each, with
# `java perf/LoadProbe.java read` in between:
#   off  CONDUCTOR_RPS_MAX=0, COHERENCE_TENANT_RPS=0 (no bucket is touched)
#   on   both limits at 1,000,000/s: every request takes a token from the global and the tenant
#        bucket in Redis (the dev stack has Redis), and none is refused
# Alternating (off/on, then on/off) spreads JIT warm-up over both. Policy check: PolicyCost.java times the embedded
# engine's decision (the call every read makes) in-process. Both need `mvn -Pdev` (or
# `mvn compile`) to have built target/classes.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-20}
clients=${3:-50}
overrides=target/liberty/wlp/usr/servers/coherence/configDropins/overrides
file=$overrides/zz-perf-limits.xml
[ -d "$overrides" ] || { echo "no dev server at target/liberty (start mvn -Pdev first)" >&2; exit 1; }
trap 'rm -f "$file"' EXIT

settings() {
  case $1 in
    off) echo '<server><variable name="CONDUCTOR_RPS_MAX" value="0"/><variable name="COHERENCE_TENANT_RPS" value="0"/></server>' ;;
    on) echo '<server><variable name="CONDUCTOR_RPS_MAX" value="1000000"/><variable name="COHERENCE_TENANT_RPS" value="1000000"/><variable name="COHERENCE_TENANT_BURST" value="1000000"/></server>' ;;
  esac
}

declare -A total
for mode in off on; do total[$mode]=0; done
echo "mode round reads/s p50 p95 p99 errors"
for round in $(seq 1 "$rounds"); do
  # Odd rounds run off first, even rounds on first, so warm-up favours neither.
  order="off on"; [ $((round % 2)) -eq 0 ] && order="on off"
  for mode in $order; do
    settings "$mode" > "$file"
    sleep 4   # Liberty sees the file within ~2 s; the limiter re-reads each second
    out=$(java perf/LoadProbe.java read "$clients" "$seconds")
    rps=$(sed -n 's/.*requests\/s=\([0-9]*\).*/\1/p' <<< "$out")
    errors=$(sed -n 's/.*errors=\([0-9]*\).*/\1/p' <<< "$out")
    lat=$(sed -n 's/latency ms p50=\([0-9.]*\) p95=\([0-9.]*\) p99=\([0-9.]*\).*/\1 \2 \3/p' <<< "$out")
    echo "$mode $round $rps $lat $errors"
    total[$mode]=$(( ${total[$mode]} + rps ))
  done
done
off=${total[off]}
on=${total[on]}
echo "mean reads/s: limiter off $(( off / rounds )), limiter on $(( on / rounds )); cost $(awk -v a="$off" -v b="$on" 'BEGIN { printf "%.1f", (a - b) * 100 / a }') %"
java -cp target/classes perf/PolicyCost.java
