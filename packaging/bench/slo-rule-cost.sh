#!/usr/bin/env bash
# What the SLO rules of packaging/prometheus/rules/slo.yml cost a real Prometheus per evaluation
# when the TSDB holds 30 days of the gateway's raw 15 s samples (the 30d/7d/3d windows read every
# one of them). Backfills the data with promtool, starts /usr/bin/prometheus on it with the rule
# file unchanged, lets every group evaluate a few times and prints each group's evaluation time
# from /api/v1/rules.
#
#   packaging/bench/slo-rule-cost.sh                 # 1 gateway instance x 4 status codes
#   INSTANCES=4 DAYS=30 packaging/bench/slo-rule-cost.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rules="$here/../prometheus/rules/slo.yml"
instances=${INSTANCES:-1}
days=${DAYS:-30}
step=15
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

now=$(date +%s)
# Blocks must end before the head's time range: stop the backfill an hour ago.
end=$(( (now - 3600) / step * step ))
start=$(( end - days * 86400 ))
echo "backfilling $instances instance(s) x 4 statuses, $days days every ${step}s ..." >&2
t0=$(date +%s.%N)
awk -v n="$instances" -v s="$start" -v e="$end" -v step="$step" 'BEGIN {
  print "# TYPE http_requests counter"
  split("200 404 500 503", status, " "); split("85 10 4 1", perstep, " ")
  for (i = 1; i <= n; i++) for (k = 1; k <= 4; k++) {
    v = 0
    for (t = s; t <= e; t += step) {
      printf "http_requests_total{job=\"inference-gateway\",instance=\"gw-%d:8000\",status=\"%s\"} %d %d\n", i, status[k], v, t
      v += perstep[k]
    }
  }
  print "# EOF"
}' > "$work/data.om"
promtool tsdb create-blocks-from openmetrics "$work/data.om" "$work/tsdb" >/dev/null
rm "$work/data.om"
t1=$(date +%s.%N)
samples=$(( instances * 4 * ( (end - start) / step + 1 ) ))
awk -v a="$t0" -v b="$t1" -v n="$samples" 'BEGIN { printf "samples=%d backfill_seconds=%.1f\n", n, b - a }'

cat > "$work/prometheus.yml" <<YAML
global:
  evaluation_interval: 15s
rule_files:
  - $rules
YAML
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --storage.tsdb.retention.time=40d --web.listen-address="127.0.0.1:$port" >"$work/prometheus.log" 2>&1 &
pid=$!
# Three rounds of the 30 s groups, so the numbers are not the first (cold) evaluation's.
sleep 100
curl -fsS "http://127.0.0.1:$port/api/v1/rules" | python3 -c '
import json, sys
for g in json.load(sys.stdin)["data"]["groups"]:
    slowest = max(g["rules"], key=lambda r: r["evaluationTime"])
    print("group=%s interval=%ss evaluation_ms=%.1f slowest_rule=%s slowest_ms=%.1f health=%s" % (
        g["name"], g["interval"], 1000 * g["evaluationTime"], slowest["name"],
        1000 * slowest["evaluationTime"], ",".join(sorted({r["health"] for r in g["rules"]}))))
'
curl -fsS "http://127.0.0.1:$port/api/v1/query?query=slo:availability:error_budget_remaining" | python3 -c '
import json, sys
r = json.load(sys.stdin)["data"]["result"]
print("error_budget_remaining=%s (expected 1 - 0.05/0.005 = -9)" % (r[0]["value"][1] if r else "absent"))
'
