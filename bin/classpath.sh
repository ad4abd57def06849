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
  if [[ ! -f "$cp_file" || -n "$(find "$root/pom.xml" "$root/src" -newer "$cp_file" -print -quit)" ]]; then
    echo "building (first run, or sources changed)..." >&2
    build=(-q -B -f "$root/pom.xml" test-compile dependency:build-classpath
           -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test)
    "$root/mvnw" -o "${build[@]}" >&2 2>/dev/null || "$root/mvnw" "${build[@]}" >&2
    touch "$cp_file"
  fi
  LLMBENCH_CP="$root/target/test-classes:$root/target/classes:$(cat "$cp_file")"
fi
export LLMBENCH_CP
# DJL: CPU build, no download (offline GPU hosts); the code sets these too.
export RUST_FLAVOR="${RUST_FLAVOR:-cpu}" DJL_OFFLINE=true
LLMBENCH_JAVA_OPTS=(-Xmx2G -XX:+HeapDumpOnOutOfMemoryError --add-opens=java.base/java.lang=ALL-UNNAMED
  -Dai.djl.offline=true -Dlogback.configurationFile="$root/src/test/resources/logback-test.xml")
# The client's JIT and GC: C2 with shallow inlining, so that it stops compiling before the levels do, and
# ZGC, whose pauses do not stall the streams (llmbench.jvm.ClientJvm says why; pom.xml has the same flags).
LLMBENCH_CLIENT_OPTS=(-XX:MaxInlineLevel=2 -XX:FreqInlineSize=50 -XX:InlineSmallCode=500 -XX:+UseZGC)
