#!/usr/bin/env bash
# Pushgateway client benchmark (issue 4): ms per push for our library (one kept-alive client) vs
# curl --data-binary of the same text, against one real prometheus-pushgateway on loopback.
#   - one push of 10,000 series (timed over LARGE_COUNT pushes after a warm-up)
#   - 1,000 sequential pushes of 10 series
# Usage: bench/pushgateway-client/run.sh   (from the repository root; builds the module unless SKIP_BUILD=1)
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java="$JAVA_HOME/bin/java"
LARGE_COUNT=${LARGE_COUNT:-30}
SMALL_COUNT=${SMALL_COUNT:-1000}
mod=pushgateway-client
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q -ntp -pl "$mod" -am package -DskipTests
  # package with -DskipTests still compiles the bench driver in the test sources.
fi
work=$(mktemp -d)
gw_pid=""
cleanup() { if [ -n "$gw_pid" ]; then kill "$gw_pid" 2>/dev/null; wait "$gw_pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

# A fresh gateway for every case: the gateway checks each push against every group it holds, so
# groups left by an earlier case would slow the later ones down.
start_gateway() {
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  /usr/bin/prometheus-pushgateway --web.listen-address="127.0.0.1:$port" --persistence.file= --log.level=warn \
    >>"$work/gw.log" 2>&1 &
  gw_pid=$!
  url="http://127.0.0.1:$port"
  for _ in $(seq 100); do curl -sf "$url/-/ready" >/dev/null && return; sleep 0.1; done
  echo "pushgateway did not start: $(cat "$work/gw.log")" >&2; exit 1
}
stop_gateway() { kill "$gw_pid"; wait "$gw_pid" 2>/dev/null || true; gw_pid=""; }
# Always called as $(fresh ...): the subshell's EXIT trap stops its gateway even on failure.
fresh() { start_gateway; trap stop_gateway EXIT; "$@"; }

cp="$mod/target/$mod.jar:$mod/target/test-classes:$mod/target/lib/*"
bench() { "$java" -XX:+UseSerialGC -cp "$cp" io.promsuite.pushgateway.bench.PushBench "$@"; }
bench write "$work"
now() { date +%s%N; }
ms_per() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.3f", (b - a) / 1e6 / n }'; }

# curl, one process per push (what a shell job does); warm-up first.
curl_per_process() { # file job count
  for _ in $(seq 3); do curl -sf -o /dev/null -X PUT --data-binary "@$1" "$url/metrics/job/$2"; done
  local t0; t0=$(now)
  for _ in $(seq "$3"); do curl -sf -o /dev/null -X PUT --data-binary "@$1" "$url/metrics/job/$2"; done
  ms_per "$t0" "$(now)" "$3"
}
# curl, one process and one kept-alive connection for all pushes (its best case).
curl_keepalive() { # file job count
  local cfg="$work/curl-$2.cfg"
  : >"$cfg"
  for _ in $(seq "$3"); do printf 'url = "%s/metrics/job/%s"\noutput = "/dev/null"\n' "$url" "$2" >>"$cfg"; done
  curl -sf -X PUT --data-binary "@$1" -K "$cfg" >/dev/null
  local t0; t0=$(now)
  curl -sf -X PUT --data-binary "@$1" -K "$cfg" >/dev/null
  ms_per "$t0" "$(now)" "$3"
}
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "pushgateway: $(/usr/bin/prometheus-pushgateway --version 2>&1 | head -1)"
echo "large.prom: $(wc -c <"$work/large.prom") bytes, $(grep -vc '^#' "$work/large.prom") series; small.prom: $(wc -c <"$work/small.prom") bytes, $(grep -vc '^#' "$work/small.prom") series"

java_push() { bench push "$url" "$@"; }
large_java_pb_out=$(fresh java_push large PROMETHEUS_PROTOBUF 100 "$LARGE_COUNT")
large_java_txt_out=$(fresh java_push large PROMETHEUS_TEXT 100 "$LARGE_COUNT")
large_java_pb=$(field ms_per_push <<<"$large_java_pb_out")
large_java_txt=$(field ms_per_push <<<"$large_java_txt_out")
large_java_pb_first=$(field first_push_ms <<<"$large_java_pb_out")
large_java_txt_first=$(field first_push_ms <<<"$large_java_txt_out")
large_ser_pb=$(bench serialise large PROMETHEUS_PROTOBUF 200 50 | field ms_per_serialise)
large_ser_txt=$(bench serialise large PROMETHEUS_TEXT 200 50 | field ms_per_serialise)
large_curl=$(fresh curl_per_process "$work/large.prom" bench_curl_large "$LARGE_COUNT")
large_curl_ka=$(fresh curl_keepalive "$work/large.prom" bench_curl_large_ka "$LARGE_COUNT")
small_java_pb=$(fresh java_push small PROMETHEUS_PROTOBUF 2000 "$SMALL_COUNT" | field ms_per_push)
small_java_txt=$(fresh java_push small PROMETHEUS_TEXT 2000 "$SMALL_COUNT" | field ms_per_push)
small_curl=$(fresh curl_per_process "$work/small.prom" bench_curl_small "$SMALL_COUNT")
small_curl_ka=$(fresh curl_keepalive "$work/small.prom" bench_curl_small_ka "$SMALL_COUNT")

# The CLI as a shell job uses it: a JVM per push.
cli_push() {
  "$java" -jar "$mod/target/$mod.jar" push --gateway "$url" --job bench_cli "$work/cli.prom"
  local t0; t0=$(now)
  for _ in $(seq 10); do "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$mod/target/$mod.jar" push --gateway "$url" --job bench_cli "$work/cli.prom"; done
  ms_per "$t0" "$(now)" 10
}
# The same through the launcher, which adds the class-data archive the build made from a training push.
cli_launcher() {
  "$mod/target/bin/$mod" push --gateway "$url" --job bench_cli "$work/cli.prom" >>"$work/launcher.log" 2>&1
  local t0; t0=$(now)
  for _ in $(seq 10); do
    "$mod/target/bin/$mod" push --gateway "$url" --job bench_cli "$work/cli.prom" >>"$work/launcher.log" 2>&1
  done
  ms_per "$t0" "$(now)" 10
}
curl_once() {
  curl -sf -o /dev/null --data-binary "@$work/cli.prom" "$url/metrics/job/bench_cli"
  local t0; t0=$(now)
  for _ in $(seq 10); do curl -sf -o /dev/null --data-binary "@$work/cli.prom" "$url/metrics/job/bench_cli"; done
  ms_per "$t0" "$(now)" 10
}
printf '# TYPE cli_x gauge\ncli_x 1\n' >"$work/cli.prom"
cli_ms=$(fresh cli_push)
cli_launcher_ms=$(fresh cli_launcher)
cli_curl_ms=$(fresh curl_once)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
diff_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.3f ms", a - b }'; }
printf '\n%-44s %12s %12s\n' "case (ms per push)" "ours" "vs curl"
printf '%-44s %12s\n' "10,000 series: curl, process per push" "$large_curl"
printf '%-44s %12s\n' "10,000 series: curl, one kept-alive process" "$large_curl_ka"
printf '%-44s %12s %12s\n' "10,000 series: library, protobuf" "$large_java_pb" "$(ratio "$large_java_pb" "$large_curl")"
printf '%-44s %12s %12s\n' "10,000 series: library, text" "$large_java_txt" "$(ratio "$large_java_txt" "$large_curl")"
printf '%-44s %12s\n' "10,000 series: library, protobuf, 1st in JVM" "$large_java_pb_first"
printf '%-44s %12s\n' "10,000 series: library, text, 1st in JVM" "$large_java_txt_first"
printf '%-44s %12s\n' "10,000 series: scrape+serialise, protobuf" "$large_ser_pb"
printf '%-44s %12s\n' "10,000 series: scrape+serialise, text" "$large_ser_txt"
printf '%-44s %12s\n' "10 series x$SMALL_COUNT: curl, process per push" "$small_curl"
printf '%-44s %12s\n' "10 series x$SMALL_COUNT: curl, one kept-alive process" "$small_curl_ka"
printf '%-44s %12s %12s\n' "10 series x$SMALL_COUNT: library, protobuf" "$small_java_pb" "$(ratio "$small_java_pb" "$small_curl")"
printf '%-44s %12s %12s\n' "10 series x$SMALL_COUNT: library, text" "$small_java_txt" "$(ratio "$small_java_txt" "$small_curl")"
echo
echo "large push, library (protobuf) / curl per process: $(ratio "$large_java_pb" "$large_curl") (target <= 1.0x)"
echo "small push overhead, library (protobuf) - curl kept-alive: $(diff_ms "$small_java_pb" "$small_curl_ka") (target <= 1 ms)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "CLI, one process per push: java -jar $cli_ms ms, target/bin launcher (CDS) $cli_launcher_ms ms, curl $cli_curl_ms ms"
