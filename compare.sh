#!/usr/bin/env bash
# Compares sweeps (output folders, or vLLM's result files), with an optional regression gate. See ./compare.sh --help.
set -euo pipefail
cd "$(dirname "$0")"
source bin/classpath.sh
exec "$LLMBENCH_JAVA" "${LLMBENCH_JAVA_OPTS[@]}" -cp "$LLMBENCH_CP" llmbench.cli.CompareMain "$@"
