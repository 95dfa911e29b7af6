#!/usr/bin/env bash
# Runs Marquee on the embedded default (SQLite under ./data, demo data on first start) with
# the web app at /:
#
#   scripts/serve.sh [MARQUEE_ARGS...]
#
# When Node.js is installed, the web app in web/ is built first if it is missing or older
# than its sources (npm ci when its dependencies changed). Without Node.js the server still
# runs, and / says how to build the app. Arguments go to the `marquee` binary.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

build_web() {
    [ -f web/package.json ] || return 0
    if ! command -v npm >/dev/null 2>&1; then
        echo "Node.js is not installed: the web app is not built; / says how to build it." >&2
        return 0
    fi
    if [ ! -f web/node_modules/.package-lock.json ] ||
        [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
        npm --prefix web ci --no-audit --no-fund
    fi
    if [ ! -f web/dist/index.html ] ||
        [ -n "$(find web schema.graphql -path web/node_modules -prune -o -path web/dist -prune -o \
            -type f -newer web/dist/index.html -print -quit)" ]; then
        npm --prefix web run build
    fi
}

if ! build_web; then
    echo "Building the web app failed (above); the server runs without it." >&2
fi
exec cargo run -p marquee -- "$@"
