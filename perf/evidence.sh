#!/usr/bin/env bash
# The evidence bundle: everything a release review asks for, in .evidence/, with a manifest.
#
#   bash perf/evidence.sh [--skip-tests] [--smoke] [-- <perf/slo.sh options>]
#
#   .evidence/tests/          JUnit XML of every unit and integration test (surefire, failsafe)
#   .evidence/coverage/       JaCoCo: all tests together (the build fails under 80 % of lines) and
#                             the unit tests alone (ScoreCalculator and ScoreStatus 100 %); jacoco.xml + HTML
#   .evidence/security/       CycloneDX SBOM of the WAR's dependencies (sbom.cyclonedx.json / .xml) and,
#                             with npm, of the workbench's bundled npm packages (sbom-workbench.cyclonedx.json)
#   .evidence/slo/            perf/slo.sh summaries (p50/p95/p99, throughput, errors, budgets) and
#                             the Gatling HTML reports, measured against a dev stack this script starts
#   .evidence/policy/         the decision table (opa/testdata/decisions.json) as the embedded engine decided it
#   .evidence/ops/            the Grafana dashboard and the Prometheus alert rules (charts/coherence/files)
#   .evidence/dr/             the last backup/restore drill's timings.json and check.json (perf/dr-drill.sh),
#                             when target/dr/ holds one
#   .evidence/provenance/run_manifest.json   SHA-256 of every input (git-tracked file, the WAR) and output
#
# --skip-tests reuses the reports of an earlier `mvn verify` in target/; --smoke runs the SLO suite
# for a few seconds per scenario (what CI runs); anything after -- goes to perf/slo.sh. The SLO gate
# decides this script's exit code: the bundle is written either way.
# Vulnerability scanning needs a vulnerability database these machines cannot download: the
# GitHub workflow's `vulnerabilities` job scans the SBOM this writes (docs/testing.md, "Evidence bundle").
set -euo pipefail
cd "$(dirname "$0")/.."

skip_tests=false
slo_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --skip-tests) skip_tests=true ;;
    --smoke) slo_args+=(--smoke) ;;
    --) shift; slo_args+=("$@"); break ;;
    *) echo "unknown option $1 (see the comment at the top of $0)" >&2; exit 2 ;;
  esac
  shift
done

out=.evidence
rm -rf "$out"
mkdir -p "$out"/{tests,coverage,security,slo,policy,ops/dashboards,ops/alerts,provenance}

if [ "$skip_tests" = false ]; then
  mvn -B -ntp verify
fi
[ -d target/failsafe-reports ] || { echo "no test reports in target/ (run without --skip-tests)" >&2; exit 1; }

echo "[evidence] test reports, coverage, policy report"
cp target/surefire-reports/*.xml target/failsafe-reports/*.xml "$out/tests/"
cp -r target/site/jacoco-all "$out/coverage/all-tests"
cp -r target/site/jacoco "$out/coverage/unit-tests"
cp target/policy/decision-table-report.json "$out/policy/opa_report.json"
cp opa/testdata/decisions.json "$out/policy/decisions.json"
cp charts/coherence/files/grafana-dashboard.json "$out/ops/dashboards/"
cp charts/coherence/files/prometheus-rules.yaml "$out/ops/alerts/"
if [ -f target/dr/timings.json ]; then
  mkdir -p "$out/dr"
  cp target/dr/timings.json target/dr/check.json "$out/dr/"
fi

echo "[evidence] SBOM"
mvn -B -ntp -q -Pevidence -DskipTests package
cp target/sbom/sbom.cyclonedx.json target/sbom/sbom.cyclonedx.xml "$out/security/"
if command -v npm >/dev/null; then
  (cd src/main/frontend && npm sbom --sbom-format cyclonedx --omit dev --package-lock-only) \
    > "$out/security/sbom-workbench.cyclonedx.json"
fi

echo "[evidence] SLO suite against a dev stack"
source perf/devstack.sh
trap devstack_stop EXIT
devstack_start target/evidence-devstack.log
slo_status=0
bash perf/slo.sh "${slo_args[@]}" || slo_status=$?
devstack_stop
cp -r target/slo/. "$out/slo/"

echo "[evidence] run manifest"
git ls-files > target/evidence-inputs.txt
java perf/evidence/RunManifest.java . "$out" "$(git rev-parse HEAD)$(git diff --quiet || echo '-dirty')" target/evidence-inputs.txt

echo "[evidence] written to $out/ (SLO gate exit code $slo_status)"
exit "$slo_status"
