#!/usr/bin/env bash
# The on-sale benchmark: a release build of the server on PostgreSQL + Redis (throwaway
# servers from scripts/test.sh) or on the embedded default (`--embedded`), raced by
# marquee-loadgen. Extra arguments go to `marquee-loadgen onsale`. BENCH_BIN=DIR runs the
# binaries kept in DIR instead of building (to compare two builds run by run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

embedded=false
if [ "${1:-}" = "--embedded" ]; then
    embedded=true
    shift
fi
if [ -z "${BENCH_BIN:-}" ]; then
    cargo build --release -q -p marquee -p marquee-loadgen
fi
# Hundreds of buyers and subscribers each hold a connection.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
bin="${BENCH_BIN:-$PWD/target/release}"
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# Every simulated client comes from this one address: no rate limits.
export MARQUEE_SEED_DEMO=false MARQUEE_LOG_FILTER=warn MARQUEE_DATA_DIR="$data" MARQUEE_RATE_LIMITS=false
# Every subscriber connects from this machine too: lift the per-address cap of WebSocket
# connections.
export MARQUEE_WS_MAX_CONNECTIONS_PER_IP=100000

run() {
    echo "loadgen admin password" | "$bin/marquee" create-admin --email loadgen-admin@marquee.test >/dev/null
    "$bin/marquee" --bind "127.0.0.1:$port" >"$data/server.log" 2>&1 &
    local server=$!
    trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' RETURN
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
    "$bin/marquee-loadgen" --url "http://127.0.0.1:$port" onsale "$@"
    # The server's peak and current memory.
    grep -E 'VmHWM|VmRSS' "/proc/$server/status" | tr -s ' \t' ' ' | sed 's/^/server        /'
}

if $embedded; then
    run "$@"
else
    export -f run
    export bin data port
    # A database of its own on the throwaway server.
    scripts/test.sh --servers-only -- bash -c '
        db="${TEST_DATABASE_URL%/*}/onsale"
        psql "$TEST_DATABASE_URL" -qc "CREATE DATABASE onsale" >/dev/null
        DATABASE_URL="$db" REDIS_URL="$TEST_REDIS_URL" run "$@"' bash "$@"
fi
