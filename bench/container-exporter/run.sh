#!/usr/bin/env bash
# Scrape latency, CPU and RSS of container-exporter with 10, 100 (real containers on a dockerd
# started here, as root) and 500 (simulated: WireMock as the Engine API, generated cgroup tree)
# containers, plus the engine's own stats API per container. Not a test.
# Build first: ./mvnw -B -ntp -pl container-exporter -am package -DskipTests
# Env: SCRAPES (default 300), REAL (default "10,100"; "" for none), SIMULATED (default "10,100,500").
set -euo pipefail
cd "$(dirname "$0")/../.."
jar="${WIREMOCK_JAR:-$HOME/.m2/repository/org/wiremock/wiremock-standalone/3.13.2/wiremock-standalone-3.13.2.jar}"
[ -f "$jar" ] || ./mvnw -B -q -ntp dependency:get -Dartifact=org.wiremock:wiremock-standalone:3.13.2
[ -x container-exporter/target/bin/container-exporter ] || { echo "build first: ./mvnw -B -ntp -pl container-exporter -am package -DskipTests" >&2; exit 1; }
export PATH="/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH"
exec python3 bench/container-exporter/containerbench.py --scrapes "${SCRAPES:-300}" \
  --real "${REAL-10,100}" --simulated "${SIMULATED-10,100,500}" --wiremock-jar "$jar"
