#!/usr/bin/env bash
# The on-sale benchmark: a release build of the server on PostgreSQL + Redis (throwaway
# servers from scripts/test.sh) or on the embedded default (`--embedded`), raced by
# marquee-loadgen. Extra arguments go to `marquee-loadgen onsale`; with `seatmap` or
# `listings` first, the demo data is loaded and the rest go to that scenario (the map buyers
# reload during the sale; a city's showtimes with their titles, theatres and prices). BENCH_BIN=DIR runs the binaries kept in DIR instead of building
# (to compare two builds run by run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

embedded=false
if [ "${1:-}" = "--embedded" ]; then
    embedded=true
    shift
fi
scenario=onsale
demo=false
if [ "${1:-}" = "seatmap" ] || [ "${1:-}" = "listings" ]; then
    scenario=$1
    demo=true
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
# Every simulated client comes from 127.0.0.1 and names its own address in X-Forwarded-For.
# With `--bots` (even `--bots 0`, the run to compare with) the server trusts that header
# from 127.0.0.1 and applies its rate limits as in production; otherwise no rate limits.
limits=false
for arg in "$@"; do
    case "$arg" in
    --bots | --bots=*) limits=true ;;
    # The buyers in flight reuse their accounts: at a stadium each account buys about a
    # hundred places over the sale, past the ten a real buyer may have.
    # A stadium's waiting room lets 500 buyers choose at once (a cinema's, 10).
    stadium | --venue=stadium)
        export MARQUEE_MAX_SEATS_PER_BUYER_PER_SHOWTIME=1000
        export MARQUEE_WAITING_ROOM_CAPACITY="${MARQUEE_WAITING_ROOM_CAPACITY:-500}"
        ;;
    esac
done
export MARQUEE_SEED_DEMO="$demo" MARQUEE_LOG_FILTER=warn MARQUEE_DATA_DIR="$data" \
    MARQUEE_RATE_LIMITS="$limits" MARQUEE_TRUSTED_PROXIES=127.0.0.1
# Every subscriber connects from this machine, with no X-Forwarded-For: lift the per-address
# cap of WebSocket connections.
export MARQUEE_WS_MAX_CONNECTIONS_PER_IP=100000

# The load generator reads the seat ledger itself (showtimeSeatAudit) and fails the run on a
# double sale; read here from the database: the seats bots hold or bought (accounts bot…).
truth_sql="
SELECT 'seats held or bought: bots, most by one bot, most by one buyer',
  COALESCE(SUM(CASE WHEN bot THEN n ELSE 0 END), 0),
  COALESCE(MAX(CASE WHEN bot THEN n ELSE 0 END), 0),
  COALESCE(MAX(CASE WHEN bot THEN 0 ELSE n END), 0)
  FROM (SELECT b.user_id, u.email LIKE 'bot%' AS bot, COUNT(*) AS n
    FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id JOIN users u ON u.id = b.user_id
    WHERE bs.active AND b.status IN ('held', 'payment_pending', 'confirmed')
    GROUP BY b.user_id, u.email) x;"
truth() {
    if [ -n "${DATABASE_URL:-}" ]; then
        psql "$DATABASE_URL" -At -F ' ' -c "$truth_sql"
    else
        sqlite3 -separator ' ' "$data/marquee.db" "$truth_sql"
    fi | sed 's/^/database      /'
}

run() {
    echo "loadgen admin password" | "$bin/marquee" create-admin --email loadgen-admin@marquee.test >/dev/null
    "$bin/marquee" --bind "127.0.0.1:$port" >"$data/server.log" 2>&1 &
    local server=$!
    trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' RETURN
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
    local rc=0
    "$bin/marquee-loadgen" --url "http://127.0.0.1:$port" "$scenario" "$@" || rc=$?
    truth
    # The server's peak and current memory.
    grep -E 'VmHWM|VmRSS' "/proc/$server/status" | tr -s ' \t' ' ' | sed 's/^/server        /'
    # And the CPU it used (user and system, clock ticks of 1/100 s), set-up included.
    awk '{ sub(/.*\) /, ""); printf "server        CPU %.1f s (user %.1f, system %.1f)\n", ($12 + $13) / 100, $12 / 100, $13 / 100 }' "/proc/$server/stat"
    return $rc
}

if $embedded; then
    run "$@"
else
    export -f run truth
    export bin data port truth_sql scenario
    # A database of its own on the throwaway server.
    scripts/test.sh --servers-only -- bash -c '
        db="${TEST_DATABASE_URL%/*}/onsale"
        psql "$TEST_DATABASE_URL" -qc "CREATE DATABASE onsale" >/dev/null
        DATABASE_URL="$db" REDIS_URL="$TEST_REDIS_URL" run "$@"' bash "$@"
fi
