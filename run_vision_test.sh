#!/usr/bin/env bash
# The seed's vision benchmark: run_vision_test.sh [IM_WIDTH IM_HEIGHT] [options], one fresh noise image
# per request. Arguments are parsed by the Java entry point; see ./run_vision_test.sh --help.
set -euo pipefail
cd "$(dirname "$0")"
source bin/classpath.sh
exec "$LLMBENCH_JAVA" "${LLMBENCH_JAVA_OPTS[@]}" "${LLMBENCH_CLIENT_OPTS[@]}" -cp "$LLMBENCH_CP" llmbench.cli.RunTestMain --vision "$@"
