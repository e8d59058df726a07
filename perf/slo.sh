#!/usr/bin/env bash
# The SLO load-test suite: runs the Gatling simulations of perf/gatling against a running
# Coherence and gates on the budgets. See perf/gatling/README.md.
#
#   bash perf/slo.sh                      # all four scenarios, 30 s each, against the dev stack
#   bash perf/slo.sh --smoke              # every scenario for a few seconds, fewer users (CI)
#   bash perf/slo.sh --scenarios read,write --duration 60 --read-p95 300
#   bash perf/slo.sh --base-url http://127.0.0.1:9180 --token "$TOKEN"
#
# Writes target/slo/<scenario>.json, target/slo/summary.json, the Gatling reports under
# target/slo/gatling/<scenario>/; exits 1 naming each budget exceeded, 2 on a usage or run error.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

usage() {
  cat <<'EOF'
usage: perf/slo.sh [options]
  --base-url URL        server under test (default: the dev stack, from target/devstack/devstack.json)
  --devstack FILE       dev stack descriptor (default target/devstack/devstack.json)
  --token TOKEN         bearer token for --tenant with coherence:read coherence:write
                        (default: minted from the descriptor's signingKey; also COHERENCE_TOKEN)
  --tenant ID           tenant every request acts for (default tenant-123)
  --scenarios LIST      comma-separated: read,write,ingest,fanout (default all four)
  --duration S          seconds of load per scenario (default 30)
  --read-users N        (50)   --write-users N (20)   --ingest-users N (8)   --fanout-subscribers N (100)
  --batch N             signals per ingest request (100)
  --fanout-rate N       signals/s the fan-out publisher ingests (200)
  --fanout-client C     gatling (Gatling WebSocket users, default) or jdk (JDK WebSocket subscribers
                        inside the simulation, us resolution: a cross-check)
  --read-p95 MS (350)   --write-p95 MS (700)   --ingest-p95 MS (700)   --fanout-p95 MS (250)
  --max-error-pct P     error budget of every scenario, in percent (0.1)
  --smoke               every scenario for 5 s with fewer users (CI); budgets unchanged
  --lift-limits / --keep-limits
                        switch the rate limits off on the local dev server for the run (a
                        configDropins file, removed on exit). Default: lift when the target is
                        the dev stack and its server dir exists; never for a non-loopback URL.
  --out DIR             output directory (default target/slo)
EOF
}

devstack=target/devstack/devstack.json
base_url="" token=${COHERENCE_TOKEN:-} tenant=tenant-123 scenarios=read,write,ingest,fanout duration=30
read_users=50 write_users=20 ingest_users=8 fanout_subscribers=100 batch=100 fanout_rate=200
read_p95=350 write_p95=700 ingest_p95=700 fanout_p95=250 max_error_pct=0.1 smoke=false lift=auto out=target/slo
fanout_warmup=3 fanout_drain=5 fanout_client=gatling
while [ $# -gt 0 ]; do
  case $1 in
    --base-url) base_url=$2; shift ;;
    --devstack) devstack=$2; shift ;;
    --token) token=$2; shift ;;
    --tenant) tenant=$2; shift ;;
    --scenarios) scenarios=$2; shift ;;
    --duration) duration=$2; shift ;;
    --read-users) read_users=$2; shift ;;
    --write-users) write_users=$2; shift ;;
    --ingest-users) ingest_users=$2; shift ;;
    --fanout-subscribers) fanout_subscribers=$2; shift ;;
    --batch) batch=$2; shift ;;
    --fanout-rate) fanout_rate=$2; shift ;;
    --fanout-client) fanout_client=$2; shift ;;
    --read-p95) read_p95=$2; shift ;;
    --write-p95) write_p95=$2; shift ;;
    --ingest-p95) ingest_p95=$2; shift ;;
    --fanout-p95) fanout_p95=$2; shift ;;
    --max-error-pct) max_error_pct=$2; shift ;;
    --smoke) smoke=true ;;
    --lift-limits) lift=true ;;
    --keep-limits) lift=false ;;
    --out) out=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if $smoke; then
  # ~30 s of load in all: 5 s per HTTP scenario, 2 + 3 + 5 + 3 s for the fan-out.
  duration=5 read_users=10 write_users=5 ingest_users=2 fanout_subscribers=10 fanout_rate=100 fanout_warmup=3 fanout_drain=3
fi

# The target: the dev stack's URL unless given.
dev_base=""
if [ -f "$devstack" ]; then
  dev_base=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["graphqlUrl"].rsplit("/graphql",1)[0])' "$devstack")
fi
base_url=${base_url:-$dev_base}
[ -n "$base_url" ] || { echo "no --base-url and no $devstack (start mvn -Pdev, or pass --base-url and --token)" >&2; exit 2; }
base_url=${base_url%/}
if [ -z "$token" ] && [ ! -f "$devstack" ]; then
  echo "no --token and no $devstack to mint one from" >&2; exit 2
fi
host=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.urlparse(sys.argv[1]).hostname or "")' "$base_url")
loopback=false
case $host in localhost|127.*|::1) loopback=true ;; esac

# Rate limits: the dev stack's 1,000/s global and 500/s per tenant would turn this load into 429s.
overrides=target/liberty/wlp/usr/servers/coherence/configDropins/overrides
if [ "$lift" = auto ]; then
  lift=false
  [ "$base_url" = "$dev_base" ] && $loopback && [ -d "$overrides" ] && lift=true
fi
if [ "$lift" = true ]; then
  $loopback || { echo "--lift-limits is for the local dev server only, not $base_url" >&2; exit 2; }
  [ -d "$overrides" ] || { echo "--lift-limits: no dev server at $overrides" >&2; exit 2; }
  . perf/dev-limits.sh
  perf_limits_file=
  trap 'rm -f "$perf_limits_file"' EXIT
  lift_rate_limits "$devstack" perf
  echo "rate limits off on the dev server for this run ($perf_limits_file, removed on exit)"
fi

pom=perf/gatling/pom.xml
mkdir -p "$out"
out=$(cd "$out" && pwd)
mvn -q -B -Dstyle.color=never -f "$pom" test-compile > "$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 2; }

# Runs one simulation; its report goes to $out/gatling/<scenario>/<simulation>-<timestamp>/.
run() {
  local name=$1 simulation=$2; shift 2
  local results=$out/gatling/$name
  rm -rf "$results" && mkdir -p "$results"
  echo "== $name: $simulation $*"
  COHERENCE_TOKEN=$token mvn -q -B -Dstyle.color=never -f "$pom" gatling:test -Dgatling.simulationClass="io.coherence.perf.$simulation" \
    -Dgatling.resultsFolder="$results" -Dcoherence.baseUrl="$base_url" -Dcoherence.tenant="$tenant" \
    -Dcoherence.devstack="$root/$devstack" -Dslo.out="$out" -Dduration="$duration" "$@" > "$out/$name.log" 2>&1 \
    || { echo "$name: Gatling failed, see $out/$name.log" >&2; tail -20 "$out/$name.log" >&2; exit 2; }
  report=$(ls -d "$results"/*/ | head -1)
  report=${report%/}
}

files=()
summarize() { python3 perf/gatling/summarize.py scenario --out "$out/$1.json" --name "$@" --error-pct "$max_error_pct" --duration "$duration"; files+=("$out/$1.json"); }
IFS=, read -r -a wanted <<< "$scenarios"
for s in "${wanted[@]}"; do
  case $s in
    read)
      run read ReadSimulation -Dusers="$read_users"
      summarize read --report "$report" --request tenantCoherence --p95 "$read_p95" --users "$read_users" ;;
    write)
      run write WriteSimulation -Dusers="$write_users"
      summarize write --report "$report" --request publishCoherenceSignal --p95 "$write_p95" --users "$write_users" ;;
    ingest)
      run ingest IngestSimulation -Dusers="$ingest_users" -Dbatch="$batch"
      summarize ingest --report "$report" --request ingestBatch --p95 "$ingest_p95" --users "$ingest_users" --batch "$batch" ;;
    fanout)
      rm -f "$out/fanout-events.json"
      run fanout FanoutSimulation -Dsubscribers="$fanout_subscribers" -Drate="$fanout_rate" -Dwarmup="$fanout_warmup" -Ddrain="$fanout_drain" \
        -Dsubscriber="$fanout_client"
      mv "$out/fanout-events.json" "$report/fanout-events.json"   # beside the report it belongs to
      summarize fanout --report "$report" --request publish --p95 "$fanout_p95" --users "$fanout_subscribers" \
        --events "$report/fanout-events.json" ;;
    *) echo "unknown scenario $s (read, write, ingest, fanout)" >&2; exit 2 ;;
  esac
done

meta=$(python3 -c 'import json,sys,datetime; print(json.dumps({"finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "baseUrl": sys.argv[1], "smoke": sys.argv[2] == "true", "rateLimitsLifted": sys.argv[3] == "true", "cores": int(sys.argv[4])}))' \
  "$base_url" "$smoke" "$lift" "$(nproc)")
python3 perf/gatling/summarize.py combine --out "$out/summary.json" --meta "$meta" "${files[@]}" \
  && echo "all budgets met; $out/summary.json" \
  || { echo "budget exceeded; $out/summary.json" >&2; exit 1; }
