#!/usr/bin/env bash
# Side-by-side abuse of the web layer (issue 13): our host-exporter and Debian's node_exporter on the
# same machine, the same TLS web config, the same driver (WebAbuse in exporter-common's test classes):
# N concurrent scrapes, then N half-sent requests (plain) or N half-sent TLS handshakes (TLS), each
# held HOLD seconds while a normal scrape and /-/healthy are timed, then timed again after release.
# Build first: ./mvnw -B -ntp -pl host-exporter -am package -DskipTests
# OURS overrides how ours is started (default: its launcher, target/bin/host-exporter).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-1000}
HOLD=${HOLD:-4}
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
cp=exporter-common/target/test-classes:exporter-common/target/classes
ours=${OURS:-host-exporter/target/bin/host-exporter}
theirs=/usr/bin/prometheus-node-exporter
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/server.key" -out "$work/server.crt" -days 1 \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
printf 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n' > "$work/web.yml"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# run NAME TLS COMMAND...: starts COMMAND (with --web.listen-address appended), abuses it, stops it by PID.
run() {
  local name=$1 tls=$2; shift 2
  local port; port=$(free_port)
  "$@" --web.listen-address=127.0.0.1:"$port" > "$work/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
  sleep 1
  "$java" -cp "$cp" io.promsuite.exporter.common.testing.WebAbuse 127.0.0.1 "$port" "$tls" "$pid" "$N" "$HOLD" \
    | sed "s/^/$name: /"
  if kill -0 "$pid" 2>/dev/null; then echo "$name: alive at the end"; else echo "$name: DIED"; fi
  echo "$name: OutOfMemoryError in its log: $(grep -c OutOfMemoryError "$work/$name.log" || true)"
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""
}

# shellcheck disable=SC2086
run "node_exporter plain" false $theirs
# shellcheck disable=SC2086
run "host-exporter plain" false $ours
# shellcheck disable=SC2086
run "node_exporter tls" true $theirs --web.config.file="$work/web.yml"
# shellcheck disable=SC2086
run "host-exporter tls" true $ours --web.config.file="$work/web.yml"
