#!/usr/bin/env bash
# Builds the workbench page into OUTPUT_DIR; Maven runs it in generate-resources and packs the
# directory into the WAR under /workbench/. With npm: the locked dependencies are installed when
# node_modules is missing or older than package-lock.json, then `npm run build`. Without npm (a
# machine with only a JDK and Maven), or with SKIP=true (-Dworkbench.skip=true), it writes a page
# that says the workbench was not built, and the build goes on.
#
#   bash src/main/frontend/build.sh OUTPUT_DIR [SKIP]
set -euo pipefail

out=${1:?usage: build.sh OUTPUT_DIR [true to skip]}
skip=${2:-false}
here=$(cd "$(dirname "$0")" && pwd)

not_built() {
  echo "[workbench] $1" >&2
  rm -rf "$out"
  mkdir -p "$out"
  cat > "$out/index.html" <<HTML
<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Coherence workbench: not built</title></head>
<body>
  <h1>The workbench was not built</h1>
  <p>$2</p>
  <p>To include it: install Node.js 20 and npm, then build again (<code>mvn package</code> or <code>mvn -Pdev</code>).</p>
</body>
</html>
HTML
}

if [ "$skip" = true ]; then
  not_built "skipped (-Dworkbench.skip=true): the WAR carries a page saying so" \
    "This build skipped it (-Dworkbench.skip=true)."
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  not_built "WARNING: npm is not on PATH, so the workbench page is not built; install Node.js 20 and npm to get it" \
    "npm was not found on the machine that built this server."
  exit 0
fi

cd "$here"
# npm writes node_modules/.package-lock.json on every install: older than the lock file means stale.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[workbench] npm ci (node_modules missing or older than package-lock.json)"
  npm ci --prefer-offline --no-audit --no-fund
fi
WORKBENCH_OUT="$out" npm run --silent build
