#!/usr/bin/env bash
# The seed's text benchmark: high, medium and low profiles against an OpenAI-compatible server.
# Arguments are parsed by the Java entry point (llmbench.cli.SweepCommand); see ./run_test.sh --help.
set -euo pipefail
cd "$(dirname "$0")"
source bin/classpath.sh
exec "$LLMBENCH_JAVA" "${LLMBENCH_JAVA_OPTS[@]}" "${LLMBENCH_CLIENT_OPTS[@]}" -cp "$LLMBENCH_CP" llmbench.cli.RunTestMain "$@"
