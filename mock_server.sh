#!/usr/bin/env bash
# The built-in vLLM-compatible mock server, standalone. See ./mock_server.sh --help.
set -euo pipefail
cd "$(dirname "$0")"
source bin/classpath.sh
exec "$LLMBENCH_JAVA" "${LLMBENCH_JAVA_OPTS[@]}" -cp "$LLMBENCH_CP" llmbench.cli.MockMain "$@"
