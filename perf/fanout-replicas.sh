#!/usr/bin/env bash
# Subscription fan-out across replicas (issue 19): the same load with the publisher and the
# subscribers on the same replica, and on different ones, in one run on one dev stack, so the
# cross-replica figures (through the Redis event bridge) stand next to the single-replica ones.
#
#   bash perf/fanout-replicas.sh [--subscribers 100] [--rate 200] [--seconds 20] [--warmup 10]
#
# Uses the dev stack of COHERENCE_DEVSTACK (default target/devstack/devstack.json) when every
# replica it lists answers and there are at least two; otherwise starts one here with
# -Dreplicas=2 (ports --http-port and the next, default 9080/9081) and stops it at the end. Lifts
# the rate limits on every replica for the run (perf/dev-limits.sh). Then, one tenant, each case a
# run of perf/FanoutProbe.java (3 s of probe warm-up, --seconds measured, up to 5 s of drain):
#   a  publisher on replica 1, subscribers on replica 1            (no bridge)
#   b  publisher on replica 2, subscribers on replica 1            (every event crosses the bridge)
#   c  publisher on replica 2, subscribers split over 1 and 2      (both in the same run)
# after an unreported run of each case for --warmup seconds, in the same order: with one warm-up
# run of c alone, whichever case came first was the slowest (p95 2-4x), in either order.
# Delivery is counted per subscriber and per signal (FanoutProbe's header says how); latency is
# commit -> receive: the event's committedAt (the publishing replica's clock) against the probe's
# receive time, both on this machine's clock. Prints a table; each probe's full output and the
# figures as JSON are in --out (default target/fanout-replicas).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'EOF'
usage: perf/fanout-replicas.sh [options]
  --subscribers N   WebSocket subscribers in each case (default 100)
  --rate N          signals/s the publisher ingests (default 200)
  --seconds S       measured seconds per case (default 20)
  --warmup S        seconds of each case's unreported warm-up run, 0 for none (default 10)
  --cases LIST      comma-separated, of a,b,c, run in that order (default a,b,c)
  --http-port P     first replica's port when this script starts the dev stack (default 9080)
  --keep-limits     leave the dev stack's rate limits on
  --out DIR         probe outputs and summary.json (default target/fanout-replicas)
  -h, --help        this text
EOF
}

subscribers=100 rate=200 seconds=20 warmup=10 cases=a,b,c http_port=9080 lift=true out=target/fanout-replicas
while [ $# -gt 0 ]; do
  case $1 in
    --subscribers) subscribers=$2; shift ;;
    --rate) rate=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --cases) cases=$2; shift ;;
    --http-port) http_port=$2; shift ;;
    --keep-limits) lift=false ;;
    --out) out=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for c in ${cases//,/ }; do
  case $c in a|b|c) ;; *) echo "unknown case $c (a, b or c)" >&2; exit 2 ;; esac
done

stack=${COHERENCE_DEVSTACK:-target/devstack/devstack.json}
load() { cut -d' ' -f1-3 /proc/loadavg; }
replica_field() { # INDEX FIELD: a field of the descriptor's replicas[INDEX]
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["replicas"][int(sys.argv[2])][sys.argv[3]])' "$stack" "$1" "$2"
}
replica_count() {
  python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("replicas", [])))' "$stack"
}
# True when the descriptor exists and every replica it lists is ready.
running() {
  [ -f "$stack" ] || return 1
  local n i
  n=$(replica_count) || return 1
  [ "$n" -ge 1 ] || return 1
  for i in $(seq 0 $((n - 1))); do
    curl -sf -o /dev/null --max-time 5 "$(replica_field "$i" healthUrl)" || return 1
  done
}

. perf/devstack.sh
. perf/dev-limits.sh
perf_limits_files=()
cleanup() {
  [ ${#perf_limits_files[@]} -eq 0 ] || rm -f "${perf_limits_files[@]}"
  devstack_stop
}
trap cleanup EXIT

mkdir -p "$out"
echo "machine: $(nproc) cores; uptime before: $(uptime)"
if running; then
  [ "$(replica_count)" -ge 2 ] || { echo "the dev stack of $stack has one replica: stop it, or start it with -Dreplicas=2" >&2; exit 2; }
  echo "using the running dev stack of $stack ($(replica_count) replicas)"
else
  for port in "$http_port" $((http_port + 1)); do
    if ss -ltnH "sport = :$port" | grep -q .; then
      echo "port $port is in use and $stack describes no running stack: stop the other server, or pass --http-port" >&2
      exit 2
    fi
  done
  stack=target/devstack/devstack.json
  export COHERENCE_DEVSTACK=$stack
  echo "starting the dev stack with 2 replicas on ports $http_port and $((http_port + 1)) (log: $out/devstack.log) ..."
  started=$SECONDS
  devstack_start "$out/devstack.log" COHERENCE_DEV_REPLICAS=2 COHERENCE_DEV_HTTP_PORT="$http_port"
  echo "ready in $((SECONDS - started)) s"
fi
export COHERENCE_DEVSTACK=$stack
r1=$(replica_field 0 baseUrl) r2=$(replica_field 1 baseUrl)
if $lift; then
  lift_rate_limits_everywhere "$stack" fanout-replicas
fi

probe() { # NAME SUBSCRIBE_TO PUBLISH_TO SECONDS
  FANOUT_SUBSCRIBE_TO=$2 FANOUT_PUBLISH_TO=$3 java perf/FanoutProbe.java "$subscribers" 1 "$rate" "$4" > "$out/$1.txt" 2>&1 \
    || { echo "case $1: the probe failed; see $out/$1.txt" >&2; tail -5 "$out/$1.txt" >&2; return 1; }
  tail -1 "$out/$1.txt" > "$out/$1.json"
}

declare -A subscribe=([a]=$r1 [b]=$r1 [c]="$r1,$r2") publish=([a]=$r1 [b]=$r2 [c]=$r2)
if [ "$warmup" -gt 0 ]; then
  echo "warm-up: each case for $warmup s, not reported (load $(load))"
  for c in ${cases//,/ }; do
    probe "warmup-$c" "${subscribe[$c]}" "${publish[$c]}" "$warmup"
  done
fi
for c in ${cases//,/ }; do
  echo "case $c: publish to ${publish[$c]}, subscribe to ${subscribe[$c]}, $subscribers subscribers, $rate signals/s, $seconds s (load $(load))"
  probe "$c" "${subscribe[$c]}" "${publish[$c]}" "$seconds"
done
echo "uptime after: $(uptime)"

python3 - "$out" "$r1" "$r2" ${cases//,/ } <<'PY'
import json, sys
out, r1, r2, cases = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
port = lambda url: url.rsplit(":", 1)[1]
runs = {c: json.load(open(f"{out}/{c}.json")) for c in cases}
rows = []
for c in cases:
    r = runs[c]
    pub = port(r["publishTo"])
    rows.append((c, f"{pub}->{'+'.join(port(g['subscribeTo']) for g in r['groups'])}", r, r))
    if len(r["groups"]) > 1:
        for g in r["groups"]:
            where = "same" if g["subscribeTo"] == r["publishTo"] else "cross"
            rows.append((f"  {c} {where}", f"{pub}->{port(g['subscribeTo'])}", g, r))
head = ("case", "pub->sub", "subs", "published", "expected", "delivered", "missing", "extra", "dup", "out-of-order",
        "p50", "p95", "p99", "max")
fmt = "{:<9} {:<15} {:>5} {:>9} {:>9} {:>9} {:>7} {:>5} {:>4} {:>12} {:>6} {:>6} {:>6} {:>7}"
print()
print("latency ms: commit -> receive (the event's committedAt, set by the publishing replica, against the")
print("probe's receive time; one machine, one clock). Delivery counted per subscriber and per signal.")
print(fmt.format(*head))
for name, route, f, r in rows:
    print(fmt.format(name, route, f["subscribers"], r["published"], f["expected"], f["expected"] - f["missed"],
                     f["missed"], f["extra"], f["duplicates"], f["outOfOrder"], f"{f['p50Ms']:.1f}", f"{f['p95Ms']:.1f}",
                     f"{f['p99Ms']:.1f}", f"{f['maxMs']:.1f}"))
print()
for c in cases:
    r = runs[c]
    print(f"case {c}: achieved {r['achievedRate']} signals/s over {r['measuredSeconds']} s, ingest errors {r['ingestErrors']},"
          f" holes {r['holes']}, server-reported missed {r['serverReportedMissed']}, closes {r['closes']},"
          f" load {r['loadBefore']} -> {r['loadAfter']}")
    for server, m in r["serverMetricsByServer"].items():
        print(f"  {port(server)}: events sent +{m['subscription_events_sent_total']}, dropped +{m['subscription_events_dropped_total']},"
              f" sequence gaps +{m['subscription_sequence_gaps_total']}, late +{m['subscription_events_late_total']},"
              f" repaired from the graph +{m.get('subscription_events_repaired_total', 0)},"
              f" bridge copies dropped +{m.get('subscription_events_duplicates_dropped_total', 0)}")
json.dump({"cases": runs, "replicas": [r1, r2]}, open(f"{out}/summary.json", "w"), indent=2)
PY
echo "probe outputs and summary.json: $out/"
