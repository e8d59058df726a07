# Sourced by the benchmarks that load the dev server (read-ratio.sh, ingest-ceiling.sh, compare.sh,
# slo.sh): a benchmark measures capacity, and the dev stack's rate limits (1,000 requests/s global,
# 500/s and 5,000 signals/s per tenant) would turn the load into 429s and cap the figures.
#
#   lift_rate_limits DESCRIPTOR NAME
#
# writes configDropins/overrides/zz-NAME-limits.xml into the server of the dev stack DESCRIPTOR
# (devstack.json) with every limit at 0 (off), waits until Liberty has read it and the limiters
# have re-read their settings, and leaves the file's path in $perf_limits_file: the caller removes it
# (its EXIT trap), which puts the limits back within a second.
lift_rate_limits() {
  local descriptor=$1 name=$2 server log before deadline
  # The first server's log (devstack.json also lists each replica's under "replicas").
  server=$(dirname "$(dirname "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["libertyLog"])' \
    "$descriptor")")")
  [ -d "$server" ] || { echo "lift_rate_limits: no dev server beside $descriptor" >&2; return 2; }
  log=$server/logs/messages.log
  perf_limits_file=$server/configDropins/overrides/zz-$name-limits.xml
  mkdir -p "$(dirname "$perf_limits_file")"
  updates() { grep -c 'CWWKG0017I\|CWWKG0018I' "$log" 2>/dev/null || true; }
  before=$(updates)
  echo '<server><variable name="CONDUCTOR_RPS_MAX" value="0"/><variable name="COHERENCE_TENANT_RPS" value="0"/><variable name="COHERENCE_INGEST_TENANT_SIGNALS_PER_SECOND" value="0"/></server>' > "$perf_limits_file"
  # Liberty logs CWWKG0017I/18I once it has read the file; the limiters re-read each second after.
  deadline=$((SECONDS + 20))
  while [ "$(updates)" -le "$before" ] && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
  [ "$(updates)" -gt "$before" ] || echo "warning: Liberty did not report a configuration update within 20 s" >&2
  sleep 2
}

# The same on every server of a dev stack started with -Dreplicas=N: one file per replica (each has
# its own server directory), their paths left in the array perf_limits_files for the caller's EXIT
# trap. The buckets are shared in Redis, but each replica reads its own limits.
#
#   lift_rate_limits_everywhere DESCRIPTOR NAME
lift_rate_limits_everywhere() {
  local descriptor=$1 name=$2 log server before deadline file
  local -a logs
  mapfile -t logs < <(python3 -c 'import json,sys; [print(r["libertyLog"]) for r in json.load(open(sys.argv[1]))["replicas"]]' \
    "$descriptor")
  perf_limits_files=()
  updates() { grep -c 'CWWKG0017I\|CWWKG0018I' "$1" 2>/dev/null || true; }
  for log in "${logs[@]}"; do
    server=$(dirname "$(dirname "$log")")
    [ -d "$server" ] || { echo "lift_rate_limits_everywhere: no server directory $server" >&2; return 2; }
    file=$server/configDropins/overrides/zz-$name-limits.xml
    mkdir -p "$(dirname "$file")"
    before=$(updates "$log")
    perf_limits_files+=("$file")
    echo '<server><variable name="CONDUCTOR_RPS_MAX" value="0"/><variable name="COHERENCE_TENANT_RPS" value="0"/><variable name="COHERENCE_INGEST_TENANT_SIGNALS_PER_SECOND" value="0"/></server>' > "$file"
    deadline=$((SECONDS + 20))
    while [ "$(updates "$log")" -le "$before" ] && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
    [ "$(updates "$log")" -gt "$before" ] || echo "warning: $server did not report a configuration update within 20 s" >&2
  done
  sleep 2
}
