#!/usr/bin/env bash
# Side-by-side benchmark: our host-exporter vs Debian's node_exporter, same collectors, same machine.
# Build first (./mvnw -pl host-exporter -am package -DskipTests). Not a test: numbers go to docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
collectors="cpu loadavg meminfo filesystem diskstats netdev stat time uname os"
theirs="/usr/bin/prometheus-node-exporter --web.listen-address=127.0.0.1:{port} --collector.disable-defaults"
for c in $collectors; do theirs="$theirs --collector.$c"; done
ours="host-exporter/target/bin/host-exporter --web.listen-address=127.0.0.1:{port} --log.level=warn"
exec python3 bench/host-exporter/scrapebench.py --scrapes "${SCRAPES:-500}" --ours "$ours" --theirs "$theirs"
