#!/usr/bin/env bash
# Sourced by the scripts: picks the Java (bin/java.sh: LLMBENCH_JAVA) and sets LLMBENCH_CP. In a bundle
# (lib/BUNDLE, made by bundle.sh) the classpath is its prebuilt jars; in a source checkout the project is
# compiled once (offline when the Maven cache allows) and again when pom.xml or a source is newer.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/java.sh"
llmbench_pick_java "$root"
if [[ -f "$root/lib/BUNDLE" ]]; then
  LLMBENCH_CP="$root/lib/*"
else
  cp_file="$root/target/classpath.txt"
  if [[ ! -f "$cp_file" || -n "$(find "$root/pom.xml" "$root/src/main" -newer "$cp_file" -print -quit)" ]]; then
    echo "building (first run, or sources changed)..." >&2
    build=(-q -B -f "$root/pom.xml" compile dependency:build-classpath
           -Dmdep.outputFile="$cp_file" -DincludeScope=runtime)
    # offline first (quiet: a fresh Maven cache says it lacks a plugin); online, Maven's own words
    "$root/mvnw" -o "${build[@]}" >/dev/null 2>&1 || "$root/mvnw" "${build[@]}" >&2
    touch "$cp_file"
  fi
  LLMBENCH_CP="$root/target/classes:$(cat "$cp_file")"
fi
export LLMBENCH_CP
# DJL: CPU build, no download (offline GPU hosts); the code sets these too.
export RUST_FLAVOR="${RUST_FLAVOR:-cpu}" DJL_OFFLINE=true
LLMBENCH_JAVA_OPTS=(-Xmx2G -XX:+HeapDumpOnOutOfMemoryError --add-opens=java.base/java.lang=ALL-UNNAMED
  -Dai.djl.offline=true)
# The client's JIT and GC flags: one file, which pom.xml and the tests pass to java too.
LLMBENCH_CLIENT_OPTS=("@$root/bin/client-jvm.args")
