#!/usr/bin/env bash
# First scrape over HTTPS with basic auth from read-only unpacked install tarballs, next to
# node_exporter with the same web config. Needs root (a private read-only bind mount per start),
# openssl and the tarballs: ./mvnw -B -ntp -pl packaging -am package -DskipTests
# Not a test: numbers go to docs/benchmarks.md. STARTS=N starts per exporter (5); MODULES="blackbox-exporter ..."
# measures only those (node_exporter always runs, as the reference and a gauge of the machine's load).
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)
work=$(mktemp -d /tmp/promsuite-first-scrape.XXXXXX)
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/server.key" \
  -out "$work/server.crt" -days 2 -subj /CN=bench -addext subjectAltName=IP:127.0.0.1 2>/dev/null
# User "bench", password "bench", bcrypt cost 10 (htpasswd -nbBC 10 bench bench).
cat > "$work/web-config.yml" <<YAML
tls_server_config: {cert_file: server.crt, key_file: server.key}
basic_auth_users: {bench: \$2a\$10\$dQnWoEQPtVCjmxT1na/e2OW9n7QOIxmbxjQYV1cKBBIePTJM7ZjC2}
YAML
# ro-start HOME MODULE ARGS...: the launcher in a private mount namespace where HOME is read-only
# (unshare without --fork and every step execs: the PID stays the JVM's).
cat > "$work/ro-start" <<'SH'
#!/bin/sh
home=$1; m=$2; shift 2
exec unshare --mount --propagation private sh -c 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && m=$1 && shift && exec "$0/bin/$m" "$@"' "$home" "$m" "$@"
SH
chmod +x "$work/ro-start"
targets=("node_exporter=/usr/bin/prometheus-node-exporter --web.listen-address=127.0.0.1:{port} --web.config.file=$work/web-config.yml")
for m in ${MODULES:-host-exporter container-exporter blackbox-exporter ml-model-exporter}; do
  tar -xzf "packaging/target/$m-$version.tar.gz" -C "$work"
  home="$work/$m-$version"
  conf=""
  case $m in
    blackbox-exporter) conf="--config.file=$home/conf/blackbox.yml" ;;
    ml-model-exporter) conf="--config.file=$home/conf/ml-model-exporter.yml" ;;
  esac
  targets+=("$m=$work/ro-start $home $m --web.listen-address=127.0.0.1:{port} --web.config.file=$work/web-config.yml --log.level=warn $conf")
done
python3 bench/first-scrape/firstscrape.py --dir "$work" --starts "${STARTS:-5}" "${targets[@]}"
