#!/usr/bin/env bash
# ml-model-exporter benchmark: refresh time and S3 requests for 1,000 models x 5 versions on S3Mock
# (a real S3-compatible server on loopback), and scrape latency of the real launcher with 1,000 models.
# Usage: bench/ml-model-exporter/run.sh   (from anywhere; about 2 minutes on 2 cores)
# Knobs: -Dbench.models=N -Dbench.versions=N -Dbench.scrapes=N via BENCH_OPTS.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cp_file=$PWD/ml-model-exporter/target/bench.classpath
# Builds the launcher, test classes (the benchmark lives there) and S3Mock's jar; writes the test classpath.
./mvnw -B -q -ntp -pl ml-model-exporter -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
cp="ml-model-exporter/target/test-classes:ml-model-exporter/target/classes:$(cat "$cp_file")"
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" -Xmx512m -Ds3mock.jar=ml-model-exporter/target/s3mock/s3mock.jar -Ds3mock.jvm="-Xmx1g" \
  -Daws.accessKeyId=bench -Daws.secretAccessKey=bench -Daws.disableEc2Metadata=true ${BENCH_OPTS:-} \
  -cp "$cp" io.promsuite.exporter.ml.bench.MlModelBenchmark ml-model-exporter/target/bin/ml-model-exporter
