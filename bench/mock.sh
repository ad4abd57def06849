# Sourced by the benchmark scripts: start_mock DIR [mock_server.sh options] starts the built-in mock on a
# free-looking port in its own process, logging to DIR/mock.log, and waits up to 30 s for it to listen.
# Sets mock_port and mock_pid; the caller's EXIT trap kills it.
start_mock() {
  local dir="$1"
  shift
  mock_port=$((20000 + RANDOM % 20000))
  "$(dirname "${BASH_SOURCE[0]}")/../mock_server.sh" --port "$mock_port" "$@" >"$dir/mock.log" 2>&1 &
  mock_pid=$!
  for _ in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$mock_port") 2>/dev/null && return 0
    kill -0 "$mock_pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$mock_pid" 2>/dev/null; then
    echo "error: the mock did not listen on port $mock_port within 30 s; its log:" >&2
  else
    echo "error: the mock ended before it listened on port $mock_port; its log:" >&2
  fi
  tail -20 "$dir/mock.log" >&2
  return 1
}
