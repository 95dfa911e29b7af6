#!/usr/bin/env bash
# The search benchmark: a release build on the embedded default with the demo catalogue
# plus back-catalogue films, DOCS documents in all (default 100,000). It times
# `marquee reindex`, reports the index size, then starts the server (which builds the
# index again before it listens) and runs `marquee-loadgen search`; extra arguments go
# to the generator, e.g. `scripts/bench-search.sh --requests 5000`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

docs="${DOCS:-100000}"
cargo build --release -q -p marquee -p marquee-loadgen
bin="$PWD/target/release"
data=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# Every simulated client comes from this one address: no rate limits.
export MARQUEE_DATA_DIR="$data" MARQUEE_LOG_FILTER=warn MARQUEE_SEED_DEMO=false MARQUEE_RATE_LIMITS=false

"$bin/marquee" seed
# The demo catalogue indexes 200 movies, 60 events and 74 theatres.
"$bin/marquee" seed --archive-titles $((docs - 334))
"$bin/marquee" reindex
echo "index size    $(du -sh "$data/search" | cut -f1)"

rm -rf "$data/search"
started=$(date +%s%3N)
"$bin/marquee" --bind "127.0.0.1:$port" >"$data/server.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
echo "server up     after $(($(date +%s%3N) - started)) ms (index built at start)"
"$bin/marquee-loadgen" --url "http://127.0.0.1:$port" search "$@"
grep -E 'VmHWM' "/proc/$server/status" | tr -s ' \t' ' ' | sed 's/^/server        /'
