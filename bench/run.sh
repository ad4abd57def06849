#!/usr/bin/env bash
# Benchmarks of the benchmark: fidelity, client cost (and the floor under it), mock capacity, the wire (a packet capture of the
# sweep as users run it), prompt building, post-processing and sweep overhead.
# Writes bench/results.json and docs/PERFORMANCE.md.
# Usage: bench/run.sh [--quick] [--only a,b] [--render (rewrite the doc from results.json)]
#        wire options: [--url URL (any server; default: the mock, plain and busy)] [--runs N (default 5)]
#                      [--profiles low,medium] [--tokenizer DIR (the server's tokenizer)]
#        WIRE_CLIENT_JAVA_OPTS="-XX:..." adds JVM flags to the wire runs' client JVMs (for trying flags;
#        they reach it as JAVA_TOOL_OPTIONS, so the scripts' own flags win where they clash);
#        WIRE_CLIENT_ARGS="--no-client-warmup" adds run_test.sh options to them
set -euo pipefail
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,10p' "$0" | sed 's/^# //'
  echo "sections: mock, fidelity, floor, cold, wire, prompts, post, sweep"
  echo "examples:"
  echo "  bench/run.sh --quick"
  echo "  bench/run.sh --only wire --runs 5"
  echo "  bench/run.sh --only wire --url http://127.0.0.1:18080 --tokenizer fake_model --profiles low"
  exit 0
fi
cd "$(dirname "$0")/.."
args=" $* "
if [[ "$args" != *" --only "* || "$args" == *wire* ]] && ! command -v tcpdump >/dev/null; then
  # the wire section captures loopback with tcpdump (Debian package); root may install it
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing tcpdump for the wire benchmark..." >&2
    apt-get install -y tcpdump >/dev/null || { apt-get update >/dev/null && apt-get install -y tcpdump >/dev/null; }
  else
    echo "error: the wire benchmark needs tcpdump (apt-get install tcpdump) and root; or leave it out with --only" >&2
    exit 2
  fi
fi
source bin/classpath.sh
# the benchmarks are test code (src/test/java/llmbench/bench): the scripts' classpath and the tests' classes
bench_cp="target/bench-classpath.txt"
if [[ ! -f "$bench_cp" || -n "$(find pom.xml src -newer "$bench_cp" -print -quit)" ]]; then
  echo "building the benchmarks..." >&2
  build=(-q -B test-compile dependency:build-classpath -Dmdep.outputFile="$bench_cp" -DincludeScope=test)
  ./mvnw -o "${build[@]}" >/dev/null 2>&1 || ./mvnw "${build[@]}" >&2
  touch "$bench_cp"
fi
# the fidelity rows run Gatling in this JVM: it is a client like the users'
exec "$LLMBENCH_JAVA" "${LLMBENCH_JAVA_OPTS[@]}" "${LLMBENCH_CLIENT_OPTS[@]}" -Xmx4G \
  -cp "target/test-classes:target/classes:$(cat "$bench_cp")" llmbench.bench.Benchmarks "$@"
