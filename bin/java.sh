#!/usr/bin/env bash
# Sourced by the scripts: which Java runs the project. A bundle's own runtime first (runtime/, made by
# bundle.sh), then JAVA_HOME, then java on PATH; version 17 or newer, else a one-line error.

# The feature version of a java binary (8, 17, 25...), or nothing when it does not run.
llmbench_java_version() {
  local v
  v=$("$1" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9.]*\).*/\1/p' | head -n 1) || return 1
  [[ -n "$v" ]] || return 1
  [[ "$v" == 1.* ]] && v="${v#1.}"
  echo "${v%%.*}"
}

# Sets LLMBENCH_JAVA (the java binary) and LLMBENCH_JAVA_HOME for the folder $1 (the project or bundle).
llmbench_pick_java() {
  local root="$1" java="" from=""
  if [[ -x "$root/runtime/bin/java" ]]; then
    java="$root/runtime/bin/java" from="the bundled runtime ($root/runtime)"
  elif [[ -n "${JAVA_HOME:-}" ]]; then
    java="$JAVA_HOME/bin/java" from="JAVA_HOME ($JAVA_HOME)"
  elif command -v java >/dev/null 2>&1; then
    java="$(command -v java)" from="java on PATH ($(command -v java))"
  else
    echo "error: no Java found: install a JDK 17 or newer, set JAVA_HOME, or use the bundle (./bundle.sh), which brings its own" >&2
    exit 1
  fi
  local version
  if ! version=$(llmbench_java_version "$java"); then
    echo "error: $from does not run (no $java); set JAVA_HOME to a JDK 17 or newer" >&2
    exit 1
  fi
  if (( version < 17 )); then
    echo "error: $from is Java $version; this project needs 17 or newer (set JAVA_HOME, or use the bundle)" >&2
    exit 1
  fi
  LLMBENCH_JAVA="$java"
  LLMBENCH_JAVA_HOME="$(cd "$(dirname "$(readlink -f "$java")")/.." && pwd)"
  export LLMBENCH_JAVA LLMBENCH_JAVA_HOME
}

# The newest JDK 17+ (one with jlink) among JAVA_HOME, /usr/lib/jvm/* and java on PATH, for bundle.sh.
llmbench_newest_jdk() {
  local best="" best_v=0 home v
  local candidates=("${JAVA_HOME:-}" /usr/lib/jvm/*)
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(cd "$(dirname "$(readlink -f "$(command -v java)")")/.." && pwd)")
  fi
  for home in "${candidates[@]}"; do
    [[ -n "$home" && -x "$home/bin/java" && -x "$home/bin/jlink" ]] || continue
    v=$(llmbench_java_version "$home/bin/java") || continue
    if (( v >= 17 && v > best_v )); then
      best="$(cd "$home" && pwd -P)" best_v=$v
    fi
  done
  [[ -n "$best" ]] && echo "$best"
}
