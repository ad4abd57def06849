#!/usr/bin/env bash
# Merges the output folders of a sharded sweep into one run. See ./merge.sh --help.
set -euo pipefail
cd "$(dirname "$0")"
source bin/classpath.sh
exec "$LLMBENCH_JAVA" "${LLMBENCH_JAVA_OPTS[@]}" -cp "$LLMBENCH_CP" llmbench.cli.MergeMain "$@"
