#!/usr/bin/env bash
# Side-by-side benchmark: our host-exporter vs Debian's node_exporter on the same machine, each with
# its default collectors (what users run); COLLECTORS="cpu loadavg ..." restricts both to a list
# (the ten collectors of the first benchmark: COLLECTORS="cpu loadavg meminfo filesystem diskstats
# netdev stat time uname os").
# Build first (./mvnw -pl host-exporter -am package -DskipTests). Not a test: numbers go to docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
theirs="/usr/bin/prometheus-node-exporter --web.listen-address=127.0.0.1:{port}"
ours="host-exporter/target/bin/host-exporter --web.listen-address=127.0.0.1:{port} --log.level=warn"
if [ -n "${COLLECTORS:-}" ]; then
  theirs="$theirs --collector.disable-defaults"
  ours="$ours --collector.disable-defaults"
  for c in $COLLECTORS; do theirs="$theirs --collector.$c"; ours="$ours --collector.$c"; done
fi
exec python3 bench/host-exporter/scrapebench.py --scrapes "${SCRAPES:-500}" --ours "$ours" --theirs "$theirs"
