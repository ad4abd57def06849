#!/usr/bin/env bash
# Rebuilds the vLLM-format results of an existing Gatling run folder. See ./postprocess.sh --help.
set -euo pipefail
cd "$(dirname "$0")"
source bin/classpath.sh
exec "$LLMBENCH_JAVA" "${LLMBENCH_JAVA_OPTS[@]}" -cp "$LLMBENCH_CP" llmbench.cli.PostProcessMain "$@"
