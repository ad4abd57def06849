#!/usr/bin/env bash
# Benchmarks of the benchmark: fidelity, client cost, mock capacity, prompt building, post-processing and
# sweep overhead. Writes bench/results.json and docs/PERFORMANCE.md.
# Usage: bench/run.sh [--quick] [--only a,b] [--render (rewrite the doc from results.json)]
set -euo pipefail
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,4p' "$0" | sed 's/^# //'
  echo "sections: mock, fidelity, cold, prompts, post, sweep"
  exit 0
fi
cd "$(dirname "$0")/.."
source bin/classpath.sh
exec java "${LLMBENCH_JAVA_OPTS[@]}" -Xmx4G -cp "$LLMBENCH_CP" llmbench.bench.Benchmarks "$@"
