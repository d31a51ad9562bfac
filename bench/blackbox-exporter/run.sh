#!/usr/bin/env bash
# Benchmark: our blackbox-exporter vs Debian's blackbox_exporter on this machine.
# http_2xx and tcp_connect probes of a loopback target, CLIENTS concurrent clients for SECONDS each:
# probes/s, p50/p99 probe latency, and the exporter's RSS (current, peak, anon/file split) after the run.
# Loopback only; every loop is bounded in time; every process started here is stopped by PID.
# Usage: bench/blackbox-exporter/run.sh
#   env: CLIENTS=16 DURATION=20 WARMUP=5 EXPORTERS="ours blackbox_exporter" MODULES="http_2xx tcp_connect"
#   JAVA_OPTS is passed to our launcher (it overrides the launcher's JVM flags).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/bench/blackbox-exporter"
CLIENTS=${CLIENTS:-16}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
EXPORTERS=${EXPORTERS:-"ours blackbox_exporter"}
MODULES=${MODULES:-"http_2xx tcp_connect"}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java="$JAVA_HOME/bin/java"
ours="$root/blackbox-exporter/target/bin/blackbox-exporter"
theirs=/usr/bin/prometheus-blackbox-exporter
[ -x "$theirs" ] || { echo "missing $theirs (apt-get install prometheus-blackbox-exporter)" >&2; exit 1; }
if [ ! -x "$ours" ]; then
  (cd "$root" && ./mvnw -B -q -ntp -pl blackbox-exporter -am package -DskipTests)
fi
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 200); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done; echo "not ready: $1" >&2; return 1; }

cat > "$work/blackbox.yml" <<YML
modules:
  http_2xx:
    prober: http
    timeout: 5s
    http: {preferred_ip_protocol: ip4}
  tcp_connect:
    prober: tcp
    timeout: 5s
    tcp: {preferred_ip_protocol: ip4}
YML

target_port=$(free_port)
"$java" -XX:+UseSerialGC "$here/TargetServer.java" "$target_port" & pids+=($!)
wait_http "http://127.0.0.1:$target_port/"

run_one() { # name command...
  local name=$1; shift
  local port; port=$(free_port)
  "$@" --config.file="$work/blackbox.yml" --web.listen-address="127.0.0.1:$port" >"$work/$name.log" 2>&1 &
  local pid=$!; pids+=($pid)
  wait_http "http://127.0.0.1:$port/-/healthy"
  for module in $MODULES; do
    local t; [ "$module" = http_2xx ] && t="http://127.0.0.1:$target_port/" || t="127.0.0.1:$target_port"
    local url="http://127.0.0.1:$port/probe?module=$module&target=$t"
    "$java" "$here/LoadGen.java" "$url" "$CLIENTS" "$WARMUP" >/dev/null
    local result; result=$("$java" "$here/LoadGen.java" "$url" "$CLIENTS" "$DURATION")
    # RSS split: anon (heap, metaspace, code, malloc) and file (libjvm.so, mapped jars and archives).
    local mem
    mem=$(awk '/^VmRSS/{r=$2} /^VmHWM/{h=$2} /^RssAnon/{a=$2} /^RssFile/{f=$2}
      END{printf "rss_mib=%d peak_rss_mib=%d anon_mib=%d file_mib=%d", r/1024, h/1024, a/1024, f/1024}' /proc/$pid/status)
    echo "$name $module $result $mem"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, $CLIENTS clients, ${DURATION}s per run after ${WARMUP}s warm-up"
for e in $EXPORTERS; do
  case $e in
    ours) run_one ours "$ours" ;;
    blackbox_exporter) run_one blackbox_exporter "$theirs" ;;
  esac
done
