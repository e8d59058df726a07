#!/usr/bin/env bash
# What tracing costs the read path, in one run: the same tenantCoherence load (perf/LoadProbe.java)
# against a dev stack started with OpenTelemetry off, then against one started with it on (the
# documented production settings: parentbased_traceidratio at `ratio`, OTLP/HTTP exports to
# perf/OtlpSink.java on this machine), alternating the order each round so JIT warm-up and the
# machine's state favour neither.
#
#   bash perf/tracing-cost.sh [rounds=2] [seconds=20] [clients=50] [ratio=0.1] [warmup=60]
#
# Each mode gets a fresh `mvn -Pdev` (OpenTelemetry is configured at server start), a `warmup`-second
# read (a fresh Liberty's JIT needs about a minute of load), then two measured reads of `seconds`. Rate limits are switched off on the dev server for
# the run (a configDropins file, as read-path-cost.sh does): they are not what is measured.
# Prints one line per measured read and the mean of each mode; figures go in perf/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
seconds=${2:-20}
clients=${3:-50}
ratio=${4:-0.1}
warmup=${5:-60}
sink_port=${OTLP_SINK_PORT:-14318}
overrides=target/liberty/wlp/usr/servers/coherence/configDropins/overrides
mkdir -p target
log=target/tracing-cost-devstack.log

java perf/OtlpSink.java "$sink_port" 7200 > target/otlp-sink.log 2>&1 &
sink=$!
source perf/devstack.sh
trap 'devstack_stop; kill $sink 2>/dev/null || true' EXIT

start_stack() {
  local mode=$1
  local -a otel=(OTEL_SDK_DISABLED=true)
  if [ "$mode" = on ]; then
    otel=(OTEL_SDK_DISABLED=false OTEL_SERVICE_NAME=coherence OTEL_PROPAGATORS=tracecontext,baggage
          OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink_port" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
          OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG="$ratio"
          OTEL_METRICS_EXPORTER=none OTEL_LOGS_EXPORTER=none)
  fi
  devstack_start "$log" "${otel[@]}"
  echo '<server><variable name="CONDUCTOR_RPS_MAX" value="0"/><variable name="COHERENCE_TENANT_RPS" value="0"/></server>' \
    > "$overrides/zz-perf-limits.xml"
  sleep 4   # Liberty sees the file within ~2 s; the limiter re-reads each second
}

read_load() {
  java perf/LoadProbe.java read "$clients" "$1"
}

declare -A total count
for mode in off on; do total[$mode]=0; count[$mode]=0; done
echo "mode round run reads/s p50 p95 p99 errors"
for round in $(seq 1 "$rounds"); do
  order="off on"; [ $((round % 2)) -eq 0 ] && order="on off"
  for mode in $order; do
    start_stack "$mode"
    read_load "$warmup" > /dev/null
    for run in 1 2; do
      out=$(read_load "$seconds")
      rps=$(sed -n 's/.*requests\/s=\([0-9]*\).*/\1/p' <<< "$out")
      errors=$(sed -n 's/.*errors=\([0-9]*\).*/\1/p' <<< "$out")
      lat=$(sed -n 's/latency ms p50=\([0-9.]*\) p95=\([0-9.]*\) p99=\([0-9.]*\).*/\1 \2 \3/p' <<< "$out")
      echo "$mode $round $run $rps $lat $errors"
      total[$mode]=$(( ${total[$mode]} + rps ))
      count[$mode]=$(( ${count[$mode]} + 1 ))
    done
    devstack_stop
  done
done
off=$(( ${total[off]} / ${count[off]} ))
on=$(( ${total[on]} / ${count[on]} ))
echo "mean reads/s: tracing off $off, tracing on (ratio $ratio) $on; cost $(awk -v a="$off" -v b="$on" 'BEGIN { printf "%.1f", (a - b) * 100 / a }') %"
tail -1 target/otlp-sink.log
