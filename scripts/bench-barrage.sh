#!/usr/bin/env bash
# The hostile barrage: a release build of the server (demo catalog, rate limits on, the
# generator's 127.0.0.1 trusted as a proxy so that each request's X-Forwarded-For address
# counts as its client) on PostgreSQL + Redis (throwaway servers from scripts/test.sh) or
# on the embedded default (`--embedded`), hit by `marquee-loadgen barrage`. Extra arguments
# go to the generator. Then: panics in the server's log, its peak memory against
# MEMORY_BOUND_MB (512), and the database's rows before and after. BENCH_BIN=DIR runs the
# binaries kept in DIR instead of building.
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
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
bin="${BENCH_BIN:-$PWD/target/release}"
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
bound_mb="${MEMORY_BOUND_MB:-512}"
export MARQUEE_SEED_DEMO=true MARQUEE_LOG_FILTER=warn MARQUEE_DATA_DIR="$data" \
    MARQUEE_RATE_LIMITS=true MARQUEE_TRUSTED_PROXIES=127.0.0.1 \
    MARQUEE_STRIPE_WEBHOOK_SECRET=whsec_barrage_not_known_to_the_attacker

# Rows of every table an attacker could change; read before and after.
rows_sql="SELECT 'users', COUNT(*) FROM users UNION ALL SELECT 'movies', COUNT(*) FROM movies
UNION ALL SELECT 'theatres', COUNT(*) FROM theatres UNION ALL SELECT 'showtimes', COUNT(*) FROM showtimes
UNION ALL SELECT 'bookings', COUNT(*) FROM bookings UNION ALL SELECT 'tickets', COUNT(*) FROM tickets
UNION ALL SELECT 'payments', COUNT(*) FROM payments UNION ALL SELECT 'refunds', COUNT(*) FROM refunds
UNION ALL SELECT 'reviews', COUNT(*) FROM reviews UNION ALL SELECT 'webhook_events', COUNT(*) FROM webhook_events;"
rows() {
    if [ -n "${DATABASE_URL:-}" ]; then
        psql "$DATABASE_URL" -At -F ' ' -c "$rows_sql"
    else
        sqlite3 -separator ' ' "$data/marquee.db" "$rows_sql"
    fi | tr '\n' ' '
}

stop_server() {
    kill "$1" 2>/dev/null || return 0
    for _ in $(seq 1 25); do kill -0 "$1" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

run() {
    "$bin/marquee" --bind "127.0.0.1:$port" >"$data/server.log" 2>&1 &
    local server=$!
    # A server wedged by a request may not finish a graceful shutdown: killed after 5 s.
    trap 'stop_server $server; rm -rf "$data"' RETURN
    for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
    local before after rc=0
    before=$(rows)
    "$bin/marquee-loadgen" --url "http://127.0.0.1:$port" barrage "$@" || rc=$?
    after=$(rows)
    echo "database      before: $before"
    echo "database      after:  $after"
    if [ "$before" = "$after" ]; then echo "database      unchanged"; else echo "database      CHANGED"; rc=1; fi
    local panics
    panics=$(grep -c 'panicked' "$data/server.log" || true)
    echo "panics        $panics (lines with 'panicked' in the server log)"
    [ "$panics" = 0 ] || { grep -m5 'panicked' "$data/server.log"; rc=1; }
    if ! kill -0 "$server" 2>/dev/null; then
        echo "server        DIED"; tail -20 "$data/server.log"; return 1
    fi
    local hwm
    hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$server/status")
    echo "server        peak memory (VmHWM) $((hwm / 1024)) MB, bound $bound_mb MB: $([ $((hwm / 1024)) -lt "$bound_mb" ] && echo held || echo EXCEEDED)"
    [ $((hwm / 1024)) -lt "$bound_mb" ] || rc=1
    return $rc
}

if $embedded; then
    run "$@"
else
    export -f run rows stop_server
    export bin data port rows_sql bound_mb
    scripts/test.sh --servers-only -- bash -c '
        db="${TEST_DATABASE_URL%/*}/barrage"
        psql "$TEST_DATABASE_URL" -qc "CREATE DATABASE barrage" >/dev/null
        DATABASE_URL="$db" REDIS_URL="$TEST_REDIS_URL" run "$@"' bash "$@"
fi
