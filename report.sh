#!/usr/bin/env bash
# Redraws a sweep's report.html and PNG charts from its output folder. See ./report.sh --help.
set -euo pipefail
cd "$(dirname "$0")"
source bin/classpath.sh
exec "$LLMBENCH_JAVA" "${LLMBENCH_JAVA_OPTS[@]}" -cp "$LLMBENCH_CP" llmbench.cli.ReportMain "$@"
