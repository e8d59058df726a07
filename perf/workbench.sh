#!/usr/bin/env bash
# The workbench's load time and size: starts the dev stack, runs the browser check
# (src/main/frontend/test/workbench.test.mjs) RUNS times against tenant-123, and prints the time
# from navigation to a visible score for each run, their median, and the bundle's bytes (raw and
# gzip) as built into the WAR. Needs Node.js with npm and Chromium (/usr/bin/chromium or CHROMIUM).
#
#   bash perf/workbench.sh [RUNS]      # default 5
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
out=target/perf-workbench
rm -rf "$out"; mkdir -p "$out"

source perf/devstack.sh
trap devstack_stop EXIT
devstack_start "$out/devstack.log"
token=$(cat target/devstack/token.txt)
for i in $(seq 1 "$runs"); do
  (cd src/main/frontend && WORKBENCH_URL=http://localhost:9080/workbench/ TOKEN="$token" TENANT=tenant-123 \
    OUT="../../../$out/run-$i" node test/workbench.test.mjs > "../../../$out/run-$i.log" 2>&1) \
    || { echo "run $i failed; see $out/run-$i.log" >&2; exit 1; }
done
devstack_stop

python3 - "$out" "$runs" <<'PY'
import glob, gzip, json, os, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
loads = [json.load(open(f"{out}/run-{i}/report.json"))["loadTimeMs"] for i in range(1, runs + 1)]
last = json.load(open(f"{out}/run-{runs}/report.json"))
files = [f for f in glob.glob("target/workbench/workbench/**/*", recursive=True)
         if os.path.isfile(f) and f.endswith((".js", ".css"))]
raw = sum(os.path.getsize(f) for f in files)
gz = sum(len(gzip.compress(open(f, "rb").read(), 6)) for f in files)
print(f"workbench load (navigation -> score visible), ms: {loads}")
print(f"  median {statistics.median(loads):.0f} ms, min {min(loads)} ms, max {max(loads)} ms over {runs} runs")
print(f"  first visit: {last['requests']['count']} requests, {last['transferredBytes']['total']:,} bytes of JS and CSS")
print(f"  foreign hosts contacted: {len(last['requests']['foreign'])}")
print(f"bundle in the WAR: {len(files)} JS/CSS files, {raw:,} bytes, {gz:,} bytes gzip-compressed")
PY
