#!/bin/sh
# A stand-in for eclipse-temurin:25-jre that CI can make without an image registry: the root
# filesystem (as a tar for `docker import`) of a jlinked JDK 25 runtime at /opt/java/openjdk (the
# path and JAVA_HOME of the Temurin images), the glibc loader and libraries it needs (ldd), bash
# (the images' HEALTHCHECK is a bash /dev/tcp request, as in Temurin's Ubuntu base) and busybox
# for the launcher's sh, dirname and mkdir. Users root and nobody (65534), as in the real base;
# the Dockerfile runs the exporters as 65534.
#
# usage: standin-base.sh OUT.tar MODULE_HOME...   (MODULE_HOME: an unpacked install layout)
# The runtime's modules are what jdeps says the exporters (and their lib/) need.
set -eu
out=$1; shift
java_home=${JAVA_HOME:?JAVA_HOME must point at a JDK 25}
work=$(mktemp -d "${TMPDIR:-/tmp}/standin.XXXXXX")
trap 'rm -rf "$work"' EXIT

jars=""; cp=""
for home in "$@"; do
  name=$(basename "$(ls "$home"/bin/*)")
  jars="$jars $home/lib/$name.jar"
  cp="$cp${cp:+:}$home/lib/*"
done
# shellcheck disable=SC2086
modules=$("$java_home/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 --class-path "$cp" $jars)
echo "jdeps: $modules"

root=$work/rootfs
mkdir -p "$root/opt/java" "$root/bin" "$root/tmp" "$root/etc" "$root/proc" "$root/sys" "$root/dev"
chmod 1777 "$root/tmp"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive --output "$root/opt/java/openjdk" >/dev/null
# Temurin's runtime also ships the default archive for compact object headers (classes_coh.jsa,
# which container-exporter's flags select); jlink makes only the others. Without it no dynamic
# archive can be made or used on top.
"$root/opt/java/openjdk/bin/java" -XX:+UseCompactObjectHeaders -Xshare:dump >/dev/null

cp /bin/busybox "$root/bin/busybox"
for applet in sh dirname mkdir cat ls id; do ln -s busybox "$root/bin/$applet"; done
cp /bin/bash "$root/bin/bash"

# Every library the runtime's ELF files and bash link against, at the path the loader finds it.
{
  ldd /bin/bash
  find "$root/opt/java/openjdk" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null
} | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p' | sort -u | while read -r lib; do
  case "$lib" in "$root"/*) continue ;; esac
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
test -x "$root/lib64/ld-linux-x86-64.so.2"

printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
tar -C "$root" --numeric-owner --owner=0 --group=0 -cf "$out" .
