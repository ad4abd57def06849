#!/usr/bin/env bash
# Sharded sweep against one standalone mock (its own process, 10 ms steps): N injectors (default 4)
# on this machine, merged with ./merge.sh, beside a one-machine run of the same levels and seed.
# Prints, per run and level: the shards' start spread, the clock offsets' round trip, and the merged
# P99 TTFT against the one-machine run's. Usage: bench/shards.sh [--runs R (default 3)] [--shards N]
#        [--levels 128,512] [--client-warmup (default: off, --no-client-warmup)] [-- extra run_test.sh options]
set -euo pipefail
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,6p' "$0" | sed 's/^# //'
  exit 0
fi
here="$(cd "$(dirname "$0")/.." && pwd)"
runs=3 shards=4 levels=128,512 warm=--no-client-warmup extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --shards) shards="$2"; shift 2 ;;
    --levels) levels="$2"; shift 2 ;;
    --client-warmup) warm=""; shift ;;
    --) shift; extra=("$@"); break ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
work="$(mktemp -d)"
mock_pid=""
trap 'kill $mock_pid 2>/dev/null || true; rm -rf "$work"' EXIT
source "$here/bench/mock.sh"
start_mock "$work" --decode-step-ms 10 --max-num-seqs 1024
port=$mock_port
common=(--url "http://127.0.0.1:$port" --profiles low --levels "$levels" --rounds 1 --input-len 100 --output-len 100
  --seed 42 ${warm} "${extra[@]}")
for r in $(seq 1 "$runs"); do
  "$here/run_test.sh" "${common[@]}" --out "$work/one$r" --gatling-results "$work/g-one$r" >"$work/one$r.log" 2>&1 \
    || { tail -20 "$work/one$r.log"; exit 1; }
  coord=$((port + 1 + r))
  pids=()
  for i in $(seq 0 $((shards - 1))); do
    "$here/run_test.sh" "${common[@]}" --shard "$i/$shards" --coordinator "127.0.0.1:$coord" \
      --out "$work/s$r/$i" --gatling-results "$work/g-s$r-$i" >"$work/s$r-$i.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || { echo "a shard failed"; tail -20 "$work"/s$r-*.log; exit 1; }; done
  "$here/merge.sh" "$work/m$r" "$work"/s$r/* >"$work/m$r.log" 2>&1 || { tail -20 "$work/m$r.log"; exit 1; }
  for c in ${levels//,/ }; do
    one=$(ls "$work/one$r"/*_"$c".json)
    merged=$(ls "$work/m$r"/*_"$c".json)
    python3 - "$one" "$merged" "$r" "$c" <<'PY'
import json, sys
one, m = (json.load(open(f)) for f in sys.argv[1:3])
print(f"run {sys.argv[3]} c{sys.argv[4]}: one machine P99 TTFT {one['p99_ttft_ms']:.1f} ms, mean {one['mean_ttft_ms']:.1f};"
      f" {len(m['shard_clock_offsets_ms'])} shards merged P99 TTFT {m['p99_ttft_ms']:.1f} ms, mean {m['mean_ttft_ms']:.1f};"
      f" requests {m['completed']} of {m['num_prompts']}, concurrency {m['max_concurrency']};"
      f" start spread {m['shard_start_spread_ms']:.2f} ms; clock offsets ms {m['shard_clock_offsets_ms']}"
      f" (round trip {m['shard_clock_offset_rtt_ms']:.2f} ms)")
PY
  done
done
