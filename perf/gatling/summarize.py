#!/usr/bin/env python3
"""The SLO gate of perf/slo.sh: turns a Gatling report into target/slo/<scenario>.json, and the
scenario files into summary.json. Standard library only.

  summarize.py scenario --name read --report DIR --request tenantCoherence --p95 350 --error-pct 0.1 \
      [--batch 100] [--events fanout-events.json] [--users 50] [--duration 30] --out read.json
  summarize.py combine --out summary.json read.json write.json ...

Gatling 3.13 writes its figures as a JavaScript object (js/stats.js, keys unquoted, numbers as
strings, "-" for none); this reads that object. Percentiles are Gatling's (50/75/95/99, set in
src/test/resources/gatling.conf), over all requests of the named request, OK and KO.
Exit status of `combine`: 0 when every scenario passed, 1 otherwise (the failures are printed).
"""
import argparse
import json
import re
import sys
from pathlib import Path


def gatling_stats(report):
    text = (Path(report) / "js" / "stats.js").read_text()
    body = text[text.index("{"):text.index("\nfunction ")].strip().rstrip(";")
    body = re.sub(r"(?m)^(\s*)([A-Za-z_]\w*):", r'\1"\2":', body)   # quote the unquoted keys
    tree = json.loads(body)
    return {node["name"]: node["stats"] for node in tree.get("contents", {}).values()}


def num(stat, key, kind="total"):
    value = stat[key][kind]
    return None if value in ("-", "", None) else float(value)


def http_figures(stat, batch=None):
    requests = int(num(stat, "numberOfRequests"))
    errors = int(num(stat, "numberOfRequests", "ko"))
    out = {
        "requests": requests, "errors": errors,
        "errorRatePct": round(100.0 * errors / requests, 3) if requests else None,
        "p50Ms": num(stat, "percentiles1"), "p75Ms": num(stat, "percentiles2"),
        "p95Ms": num(stat, "percentiles3"), "p99Ms": num(stat, "percentiles4"),
        "meanMs": num(stat, "meanResponseTime"), "maxMs": num(stat, "maxResponseTime"),
        "throughputRps": num(stat, "meanNumberOfRequestsPerSecond"),
    }
    if batch:
        ok_rps = num(stat, "meanNumberOfRequestsPerSecond", "ok") or 0.0
        out["signalsPerSecond"] = round(ok_rps * batch, 1)
    return out


def scenario(a):
    stats = gatling_stats(a.report)
    if a.request not in stats:
        sys.exit(f"{a.name}: no request '{a.request}' in {a.report} (requests: {sorted(stats)})")
    s = {"scenario": a.name, "request": a.request, "users": a.users, "durationSeconds": a.duration}
    s.update(http_figures(stats[a.request], a.batch))
    budget = {"p95Ms": a.p95, "errorRatePct": a.error_pct}
    failures = []
    if s["requests"] == 0:
        failures.append(f"{a.name}: no requests")
    elif s["errorRatePct"] > a.error_pct:
        failures.append(f"{a.name}: error rate {s['errorRatePct']} % > {a.error_pct} % ({s['errors']} of {s['requests']})")
    if a.events:
        # Fan-out: the gated latency is the events' (commit -> subscriber), not the publisher's POST.
        events = json.loads(Path(a.events).read_text())
        latency = events["latencyMs"]
        s["publisher"] = {k: s.pop(k) for k in ("p50Ms", "p75Ms", "p95Ms", "p99Ms", "meanMs", "maxMs")}
        # Gatling's mean rate spans the whole simulation (connect, warm-up, drain): use the publish window.
        s["throughputRps"] = round(s["requests"] / a.duration, 2) if a.duration else None
        s["signalsPerSecond"] = round(events["accepted"] / a.duration, 1) if a.duration else None
        s.update({"p50Ms": latency["p50"], "p95Ms": latency["p95"], "p99Ms": latency["p99"], "maxMs": latency["max"],
                  "eventsPerSecond": round(events["received"] / a.duration, 1) if a.duration else None,
                  "events": events,
                  "websocket": {name: http_figures(st) for name, st in stats.items() if name != a.request}})
        budget["missed"] = 0
        if events["missed"] != 0:
            failures.append(f"{a.name}: {events['missed']} events missed (expected {events['expected']}, received {events['received']})")
        if events["received"] == 0:
            failures.append(f"{a.name}: no events received")
        if events["subscribed"] < events["subscribers"]:
            failures.append(f"{a.name}: {events['subscribed']} of {events['subscribers']} subscribers subscribed")
        for name, ws in s["websocket"].items():
            if ws["errors"]:
                failures.append(f"{a.name}: {ws['errors']} failed '{name}'")
    if s["p95Ms"] is None or s["p95Ms"] > a.p95:
        failures.append(f"{a.name}: p95 {s['p95Ms']} ms > budget {a.p95} ms")
    s.update({"budget": budget, "pass": not failures, "failures": failures,
              "report": str(Path(a.report).resolve() / "index.html")})
    Path(a.out).write_text(json.dumps(s, indent=2) + "\n")
    line = f"{a.name:7} {'PASS' if not failures else 'FAIL'}  p50 {s['p50Ms']} / p95 {s['p95Ms']} / p99 {s['p99Ms']} ms" \
           f" (budget p95 {a.p95})  {s['requests']} requests, {s['errors']} errors, {s['throughputRps']} req/s"
    if "signalsPerSecond" in s:
        line += f", {s['signalsPerSecond']} signals/s"
    if a.events:
        line += f"; events {s['events']['received']}/{s['events']['expected']}"
        within = s["events"].get("server", {}).get("withinMsPct", {})
        key = f"{a.p95:g}"
        if key in within:   # not gated: tells a server that wrote late from a client that read late
            line += f"; server wrote {within[key]} % of frames within {key} ms of commit"
    print(line)


def combine(a):
    parts = [json.loads(Path(f).read_text()) for f in a.files]
    failures = [f for p in parts for f in p["failures"]]
    summary = {"pass": not failures, "failures": failures, "scenarios": {p["scenario"]: p for p in parts}}
    summary.update(json.loads(a.meta) if a.meta else {})
    Path(a.out).write_text(json.dumps(summary, indent=2) + "\n")
    for f in failures:
        print("BUDGET EXCEEDED: " + f, file=sys.stderr)
    sys.exit(0 if not failures else 1)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("scenario")
    s.add_argument("--name", required=True)
    s.add_argument("--report", required=True)
    s.add_argument("--request", required=True)
    s.add_argument("--p95", type=float, required=True)
    s.add_argument("--error-pct", type=float, required=True)
    s.add_argument("--batch", type=int)
    s.add_argument("--events")
    s.add_argument("--users", type=int)
    s.add_argument("--duration", type=int)
    s.add_argument("--out", required=True)
    c = sub.add_parser("combine")
    c.add_argument("--out", required=True)
    c.add_argument("--meta")
    c.add_argument("files", nargs="+")
    a = p.parse_args()
    scenario(a) if a.cmd == "scenario" else combine(a)


if __name__ == "__main__":
    main()
