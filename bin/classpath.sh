#!/usr/bin/env bash
# Sourced by the scripts: compiles the project once (offline when the Maven cache allows) and sets
# LLMBENCH_CP to its classpath. Rebuilds when pom.xml or a source is newer than the last build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cp_file="$root/target/classpath.txt"
if [[ ! -f "$cp_file" || -n "$(find "$root/pom.xml" "$root/src" -newer "$cp_file" -print -quit)" ]]; then
  echo "building (first run, or sources changed)..." >&2
  build=(-q -B -f "$root/pom.xml" test-compile dependency:build-classpath
         -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test)
  "$root/mvnw" -o "${build[@]}" >&2 2>/dev/null || "$root/mvnw" "${build[@]}" >&2
  touch "$cp_file"
fi
LLMBENCH_CP="$root/target/test-classes:$root/target/classes:$(cat "$cp_file")"
export LLMBENCH_CP
# DJL: CPU build, no download (offline GPU hosts); the code sets these too.
export RUST_FLAVOR="${RUST_FLAVOR:-cpu}" DJL_OFFLINE=true
LLMBENCH_JAVA_OPTS=(-Xmx2G -XX:+HeapDumpOnOutOfMemoryError --add-opens=java.base/java.lang=ALL-UNNAMED
  -Dai.djl.offline=true -Dlogback.configurationFile="$root/src/test/resources/logback-test.xml")
# The client's JIT and GC: C2 with shallow inlining, so that it stops compiling before the levels do, and
# ZGC, whose pauses do not stall the streams (llmbench.jvm.ClientJvm says why; pom.xml has the same flags).
LLMBENCH_CLIENT_OPTS=(-XX:MaxInlineLevel=2 -XX:FreqInlineSize=50 -XX:InlineSmallCode=500 -XX:+UseZGC)
