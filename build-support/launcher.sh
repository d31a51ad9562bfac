#!/bin/sh
# Launcher for @MODULE@: execs the JVM (so this PID is the JVM's) with the flags the benchmarks were
# tuned with. JAVA_OPTS is appended after them, so it can override any of them.
# Layouts: the build tree (target/bin/@MODULE@ next to target/@MODULE@.jar) and the install tarball
# (bin/@MODULE@ next to lib/@MODULE@.jar).
set -e
here=$(cd "$(dirname "$0")" && pwd)
home=$(dirname "$here")
if [ -f "$home/@MODULE@.jar" ]; then jar="$home/@MODULE@.jar"; else jar="$home/lib/@MODULE@.jar"; fi
if [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then java="$JAVA_HOME/bin/java";
elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java;
else java=java; fi
# Class-data sharing: the archives the build made beside the jar from training runs. With a web
# config (TLS, basic auth) the one trained over TLS with basic auth, else the one trained over
# plain HTTP (smaller: less of it resident). Only read here, never written, so a read-only install
# and any number of instances share them; a missing one, or one another JVM or other flags cannot
# use, means no sharing, silently.
jsa="${jar%.jar}.jsa"
for arg in "$@"; do
  case $arg in
    --web.config.file=?*|--web.config.file) if [ -f "${jar%.jar}-web.jsa" ]; then jsa="${jar%.jar}-web.jsa"; fi ;;
  esac
done
cds=""
[ -f "$jsa" ] && cds="-XX:SharedArchiveFile=$jsa -Xlog:cds=off -Xlog:cds+dynamic=off -Xlog:aot=off"
# Few threads allocate natively: two malloc arenas instead of one per core cap RSS.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# An exporter whose heap runs out exits (status 3) so systemd or the container runtime restarts
# it, instead of living on with a dead thread and a port that never answers.
# Locale data: the JDK's built-in root and English data, not CLDR's 1,158 locales. Nothing we
# write is localised (numbers, dates and zone names follow Go's formats whatever LANG says), and
# Jetty asks for every available locale at start: with CLDR that took ~0.1 s of CPU and 7 MB of
# garbage before the first scrape (docs/benchmarks.md, "First scrape, third pass").
# shellcheck disable=SC2086
exec "$java" -XX:+ExitOnOutOfMemoryError -Djava.locale.providers=SPI @JVM_FLAGS@ $cds $JAVA_OPTS -jar "$jar" "$@"
