#!/usr/bin/env bash
# The analytics benchmark: `marquee seed --bookings N` (default 1,000,000) on a throwaway
# PostgreSQL (from scripts/test.sh), then a release build of the server raced by
# `marquee-loadgen analytics`, which prints p50/p99 per report. Extra arguments go to the
# generator. BENCH_BOOKINGS=N seeds N bookings; BENCH_RUNS=N runs the generator N times on
# the one seeded database; BENCH_BIN=DIR runs the binaries kept in DIR instead of building.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${BENCH_BIN:-}" ]; then
    cargo build --release -q -p marquee -p marquee-loadgen
fi
bin="${BENCH_BIN:-$PWD/target/release}"
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export MARQUEE_SEED_DEMO=false MARQUEE_LOG_FILTER=warn MARQUEE_DATA_DIR="$data" MARQUEE_RATE_LIMITS=false
export bin data port BENCH_BOOKINGS="${BENCH_BOOKINGS:-1000000}" BENCH_RUNS="${BENCH_RUNS:-1}"

run() {
    trap 'rm -rf "$data"' RETURN
    local started seeded org
    started=$(date +%s)
    seeded=$("$bin/marquee" seed --bookings "$BENCH_BOOKINGS" | tee /dev/stderr | grep 'seeded .* bookings')
    org=$(echo "$seeded" | sed -E 's/.*organisation ([0-9a-f-]+).*/\1/')
    echo "seed          $BENCH_BOOKINGS bookings in $(($(date +%s) - started)) s"
    # What autovacuum would do soon after a bulk load: statistics, and the visibility map
    # that lets the reports' index-only scans skip the rows.
    psql "$DATABASE_URL" -At -c "VACUUM (ANALYZE)" >/dev/null
    psql "$DATABASE_URL" -At -F ' ' -c "SELECT 'rollup rows: hourly', (SELECT COUNT(*) FROM analytics_sales_hourly), 'daily', (SELECT COUNT(*) FROM analytics_sales_daily), 'title-day', (SELECT COUNT(*) FROM analytics_title_daily), 'screen-day', (SELECT COUNT(*) FROM analytics_screen_daily), 'theatre-hour', (SELECT COUNT(*) FROM analytics_theatre_hourly), 'showtime totals', (SELECT COUNT(*) FROM analytics_showtime_totals), 'bookings', (SELECT COUNT(*) FROM bookings)"
    echo "loadgen admin password" | "$bin/marquee" create-admin --email loadgen-admin@marquee.test >/dev/null
    "$bin/marquee" --bind "127.0.0.1:$port" >"$data/server.log" 2>&1 &
    local server=$!
    trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' RETURN
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
    for run in $(seq 1 "$BENCH_RUNS"); do
        echo "run           $run of $BENCH_RUNS"
        "$bin/marquee-loadgen" --url "http://127.0.0.1:$port" analytics --organisation "$org" "$@"
    done
}

export -f run
scripts/test.sh --servers-only -- bash -c '
    db="${TEST_DATABASE_URL%/*}/analytics"
    psql "$TEST_DATABASE_URL" -qc "CREATE DATABASE analytics" >/dev/null
    DATABASE_URL="$db" REDIS_URL="$TEST_REDIS_URL" run "$@"' bash "$@"
