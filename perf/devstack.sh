# Sourced by the perf scripts: start the dev stack (mvn -Pdev) in its own process group, wait for
# "Coherence is ready", and stop it again (Liberty and the engines go with the group).
#
#   source perf/devstack.sh
#   devstack_start target/some.log [VAR=value ...]   # environment for this start only
#   devstack_stop

devstack_pid=

devstack_start() {
  local log=$1
  shift
  setsid env "$@" mvn -B -ntp -q -Pdev > "$log" 2>&1 &
  devstack_pid=$!
  for _ in $(seq 1 600); do
    grep -q "Coherence is ready" "$log" && return 0
    kill -0 "$devstack_pid" 2>/dev/null || { echo "the dev stack did not start; see $log" >&2; return 1; }
    sleep 1
  done
  echo "the dev stack was not ready within 10 minutes; see $log" >&2
  return 1
}

devstack_stop() {
  if [ -n "$devstack_pid" ]; then
    kill -TERM -- "-$devstack_pid" 2>/dev/null || true
    wait "$devstack_pid" 2>/dev/null || true
    devstack_pid=
  fi
}
