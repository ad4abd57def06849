#!/usr/bin/env bash
# Whole-process CPU of the client: ./run_test.sh --profiles low (start, client warm-up, five levels,
# results) against the mock in its own process with fixed 10 ms steps, N fresh client JVMs; prints each
# run's CPU (user + sys, s), wall time and the warm-up's line, then the median and the worst.
# Usage: bench/client-cpu.sh [--runs N (default 5)] [--checkout DIR (another build of this project,
#        e.g. a worktree of an older commit)] [-- extra run_test.sh options, e.g. --no-client-warmup]
set -euo pipefail
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,6p' "$0" | sed 's/^# //'
  exit 0
fi
here="$(cd "$(dirname "$0")/.." && pwd)"
runs=5
checkout="$here"
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --checkout) checkout="$(cd "$2" && pwd)"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
work="$(mktemp -d)"
mock_pid=""
trap 'kill $mock_pid 2>/dev/null || true; rm -rf "$work"' EXIT
source "$here/bench/mock.sh"
start_mock "$work" --decode-step-ms 10
port=$mock_port
cpu=()
for i in $(seq 1 "$runs"); do
  /usr/bin/time -f "%U %S %e" -o "$work/time" "$checkout/run_test.sh" --url "http://127.0.0.1:$port" \
    --profiles low --out "$work/out$i" --gatling-results "$work/gatling$i" \
    "${extra[@]}" >"$work/run$i.log" 2>&1 || { echo "run $i failed: see below"; tail -20 "$work/run$i.log"; exit 1; }
  read -r user sys wall <"$work/time"
  total=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
  cpu+=("$total")
  warm=$(grep -o "client warm-up: .* after [0-9.]* s" "$work/run$i.log" || echo "client warm-up: off")
  echo "run $i: CPU $total s (user $user, sys $sys), wall $wall s; $warm"
done
sorted=($(printf '%s\n' "${cpu[@]}" | sort -n))
echo "CPU median ${sorted[$(( (runs - 1) / 2 ))]} s, worst ${sorted[$((runs - 1))]} s over $runs runs"
