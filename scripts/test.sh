#!/usr/bin/env bash
# The one test command of Marquee.
#
#   scripts/test.sh [--skip-lint] [CARGO_TEST_ARGS...]
#   scripts/test.sh --servers-only [--] CMD [ARGS...]
#
# Full run, in this order, stopping at the first failure:
#   1. cargo fmt --all -- --check
#   2. cargo clippy --workspace --all-targets -- -D warnings
#   3. cargo test --workspace            (TEST_BACKEND=sqlite, no external services)
#   4. cargo test --workspace            (TEST_BACKEND=postgres, throwaway PostgreSQL 15 + Redis)
#   5. the web app (web/): npm ci, npm run build (codegen from schema.graphql,
#      typecheck, build, bundle-size check), then its browser tests
#      (npm run test:e2e: Playwright in the system Chromium against the
#      marquee binary on the embedded default), and the main flow's
#      browser tests (tagged @main-flow) again with the server on the
#      run's PostgreSQL (a database of their own) and Redis (a prefix)
#   6. the fleet: the alert rules (promtool check rules, promtool test rules), then
#      scripts/cluster.sh up (three instances behind HAProxy, Patroni + etcd over two
#      PostgreSQL nodes, Redis with Sentinel, Prometheus), its drills
#      (cargo test -p marquee-tests --test cluster), and scripts/cluster.sh down
#
# Before step 1 it installs what is missing (as root, through apt: Redis,
# PostgreSQL 15, Prometheus, Chromium, and for the fleet HAProxy, Patroni, etcd and
# Redis Sentinel; the Stripe
# emulator localstripe and the SMTP server aiosmtpd from PyPI into
# target/test-venv; the Kafka-compatible broker tansu, built once from
# crates.io into $MARQUEE_TOOLS) and starts a private PostgreSQL, Redis,
# localstripe, SMTP sink (scripts/mailsink.py) and tansu on free loopback ports
# inside a temporary directory. The servers and the directory are removed on
# every exit path.
#
# Options:
#   --skip-lint      skip steps 1 and 2
#   --fleet-only     run step 6 alone
#   --servers-only   start the servers, run CMD with TEST_DATABASE_URL,
#                    TEST_DATABASE_READ_URL (a streaming standby of it),
#                    TEST_REDIS_URL, TEST_STRIPE_API, TEST_SMTP_URL,
#                    TEST_SMTP_API, TEST_KAFKA_BROKERS, TEST_TANSU_BIN and
#                    TEST_BACKEND=postgres exported, stop
#                    the servers and exit with CMD's exit code
#   -h, --help       show this help
# Any other arguments are passed to both `cargo test` runs, for example
#   scripts/test.sh booking_
#   scripts/test.sh -- --nocapture
#
# Node.js 20+ and npm must be installed already (step 5 stops the run without them).
#
# Environment:
#   PG_BIN         directory of initdb/pg_ctl/postgres (default /usr/lib/postgresql/15/bin)
#   MARQUEE_TOOLS  cache of test tools built from source, outside the repository
#                  (default ~/.cache/marquee-tools): tansu-<version>/bin/tansu
#   CHROMIUM_PATH  the browser of step 5 (default /usr/bin/chromium)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_USER=postgres # the database superuser name, and the OS user when run as root

# Filled in as the run goes; read by the exit handler.
TMP_DIR=""
PG_DIR=""
PG_PORT=""
PG_STARTED=0
STANDBY_DIR=""
STANDBY_PORT=""
STANDBY_STARTED=0
REDIS_PORT=""
REDIS_STARTED=0
STRIPE_PORT=""
STRIPE_PID=""
SMTP_PORT=""
SMTP_API_PORT=""
SMTP_PID=""
KAFKA_PORT=""
KAFKA_PID=""
FLEET_DIR=""
STEP_NAMES=()
STEP_TIMES=()
STEP_RESULTS=()

# ---------------------------------------------------------------- helpers ---

log() { printf '==> %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

now_ms() { date +%s%3N; }

# Milliseconds -> "12.34" seconds.
fmt_secs() { printf '%d.%02d' $(($1 / 1000)) $((($1 % 1000) / 10)); }

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

banner() {
    local line="=================================================================="
    printf '\n%s\n== %s\n%s\n' "$line" "$*" "$line"
}

# Ask the kernel for a free loopback port. Another process can still grab it
# before our server binds it; the start functions retry with a new port then.
free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
        return
    fi
    # No python3: probe random high ports until nothing answers on one.
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
}

# PostgreSQL refuses to run as root, so as root its commands run as $PG_USER.
# They run from inside the temp dir because the caller's working directory
# (e.g. under /root) may not be readable by that user.
as_pg() {
    if is_root; then
        (cd "$TMP_DIR" && runuser -u "$PG_USER" -- "$@")
    else
        (cd "$TMP_DIR" && "$@")
    fi
}

# ------------------------------------------------------------ preparation ---

apt_install() {
    log "installing $* with apt-get"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

ensure_redis() {
    if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
        return
    fi
    is_root || die "redis-server/redis-cli not found; install them (e.g. 'sudo apt-get install redis-server') or run as root"
    apt_install redis-server
    command -v redis-server >/dev/null 2>&1 || die "redis-server still not found after installing it"
}

# Prometheus scrapes the server in one test: the format it negotiates must parse.
ensure_prometheus() {
    if command -v prometheus >/dev/null 2>&1; then
        return
    fi
    is_root || die "prometheus not found; install it (e.g. 'sudo apt-get install prometheus') or run as root"
    log "installing prometheus with apt-get"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus
    command -v prometheus >/dev/null 2>&1 || die "prometheus still not found after installing it"
}

# The fleet of step 6: the balancer, PostgreSQL's failover manager and its store, Redis's.
ensure_fleet_tools() {
    local missing=()
    command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
    command -v patroni >/dev/null 2>&1 || missing+=(patroni)
    command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
    command -v etcdctl >/dev/null 2>&1 || missing+=(etcd-client)
    command -v redis-sentinel >/dev/null 2>&1 || missing+=(redis-sentinel)
    command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
    [ "${#missing[@]}" -gt 0 ] || return 0
    is_root || die "${missing[*]} not found; install them (apt-get install ${missing[*]}) or run as root"
    apt_install "${missing[@]}"
    command -v haproxy >/dev/null 2>&1 && command -v patroni >/dev/null 2>&1 &&
        command -v etcd >/dev/null 2>&1 && command -v redis-sentinel >/dev/null 2>&1 ||
        die "the fleet's tools are still missing after installing ${missing[*]}"
}

# Step 6: the alert rules, and the fleet's drills against a fleet of this tree's binaries.
fleet_rules() {
    promtool check rules "$ROOT/deploy/prometheus/marquee.rules.yml" &&
        (cd "$ROOT/deploy/prometheus" && promtool test rules marquee.rules.test.yml)
}

fleet_drills() {
    local target="${CARGO_TARGET_DIR:-$ROOT/target}" rc=0
    cargo build -p marquee -p marquee-loadgen || return
    FLEET_DIR="$TMP_DIR/fleet"
    CLUSTER_DIR="$FLEET_DIR" CLUSTER_MARQUEE_BIN="$target/debug/marquee" "$ROOT/scripts/cluster.sh" up || rc=$?
    if [ "$rc" -eq 0 ]; then
        # Every buyer and subscriber of the on-sale holds a connection.
        (ulimit -n 20000 2>/dev/null || true
            MARQUEE_CLUSTER_ENV="$FLEET_DIR/cluster.env" MARQUEE_LOADGEN="$target/debug/marquee-loadgen" \
                cargo test -p marquee-tests --test cluster -- --test-threads=1 --nocapture) || rc=$?
    fi
    stop_fleet
    return "$rc"
}

stop_fleet() {
    [ -n "$FLEET_DIR" ] || return 0
    CLUSTER_DIR="$FLEET_DIR" "$ROOT/scripts/cluster.sh" down || true
    FLEET_DIR=""
}

ensure_postgres() {
    if [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ] || [ ! -x "$PG_BIN/postgres" ]; then
        is_root || die "PostgreSQL 15 not found in $PG_BIN; install postgresql-15 (or set PG_BIN) or run as root"
        apt_install postgresql-15
        [ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL 15 still not found in $PG_BIN after installing it"
    fi
    if is_root && ! id -u "$PG_USER" >/dev/null 2>&1; then
        log "creating system user $PG_USER"
        useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$PG_USER"
    fi
}

# cargo fmt and cargo clippy are rustup components that minimal toolchains lack.
ensure_lint_tools() {
    if cargo fmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1; then
        return
    fi
    if command -v rustup >/dev/null 2>&1; then
        log "adding rustup components rustfmt and clippy"
        rustup component add rustfmt clippy || true
    fi
    cargo fmt --version >/dev/null 2>&1 ||
        die "'cargo fmt' is not available; install the rustfmt component (rustup component add rustfmt)"
    cargo clippy --version >/dev/null 2>&1 ||
        die "'cargo clippy' is not available; install the clippy component (rustup component add clippy)"
}

# The web app's build needs Node.js and npm (not installed here: CI provides them);
# its browser tests run in the system Chromium (Playwright's own download is not used).
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

ensure_web_tools() {
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
        die "node and npm not found: the web app (web/) needs Node.js 20 or later with npm; install them and run again"
    local major
    major=$(node -p 'process.versions.node.split(".")[0]')
    [ "$major" -ge 20 ] || die "Node.js $(node --version) is too old for the web app (web/): 20 or later is needed"
    if [ -x "$CHROMIUM_PATH" ]; then
        return
    fi
    is_root || die "$CHROMIUM_PATH not found; install Chromium (e.g. 'sudo apt-get install chromium'), set CHROMIUM_PATH, or run as root"
    apt_install chromium
    [ -x "$CHROMIUM_PATH" ] || die "$CHROMIUM_PATH still not found after installing chromium"
}

# Step 5: the web app, built from the schema as it stands and tested in a browser
# against the server binary of this tree.
web_install() { (cd "$ROOT/web" && npm ci --no-audit --no-fund); }
web_build() { (cd "$ROOT/web" && npm run build); }
web_e2e() {
    # Inside run_step a failing command does not stop a function by itself (set -e is off there).
    cargo build -p marquee || return
    (cd "$ROOT/web" && CHROMIUM_PATH="$CHROMIUM_PATH" \
        E2E_MARQUEE_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/marquee" npm run test:e2e)
}

# The main flow again in the browser, with the server on PostgreSQL + Redis: a database of
# its own on the run's PostgreSQL, and a key prefix of its own on the run's Redis.
web_e2e_pg() {
    local db="marquee_e2e_$$" psql="$PG_BIN/psql"
    [ -x "$psql" ] || psql=psql
    "$psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -c "create database $db" || return
    (cd "$ROOT/web" && CHROMIUM_PATH="$CHROMIUM_PATH" \
        E2E_MARQUEE_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/marquee" \
        E2E_DATABASE_URL="postgres://$PG_USER@127.0.0.1:$PG_PORT/$db" E2E_REDIS_URL="$TEST_REDIS_URL" \
        npm run test:e2e -- --grep @main-flow)
}

make_tmp_dir() {
    TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/marquee-test.XXXXXX")"
    # The postgres user must be able to reach its data dir through this one.
    chmod 755 "$TMP_DIR"
    if is_root && ! runuser -u "$PG_USER" -- test -x "$TMP_DIR"; then
        # e.g. TMPDIR under /root: fall back to the world-traversable /tmp.
        rm -rf "$TMP_DIR"
        TMP_DIR="$(mktemp -d /tmp/marquee-test.XXXXXX)"
        chmod 755 "$TMP_DIR"
    fi
    PG_DIR="$TMP_DIR/pg"
    mkdir -p "$PG_DIR"
    if is_root; then
        chown "$PG_USER:" "$PG_DIR"
    fi
}

# ------------------------------------------------------------- PostgreSQL ---

start_postgres() {
    local t0 t1 attempt
    t0=$(now_ms)
    if ! as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_USER" --auth=trust -E UTF8 --no-locale \
        >"$TMP_DIR/initdb.log" 2>&1; then
        cat "$TMP_DIR/initdb.log" >&2
        die "initdb failed"
    fi
    t1=$(now_ms)
    log "PostgreSQL initdb took $(fmt_secs $((t1 - t0)))s"

    for attempt in 1 2 3; do
        PG_PORT=$(free_port)
        rm -f "$PG_DIR/server.log"
        t0=$(now_ms)
        # Durability is pointless for a throwaway cluster; many tests run in
        # parallel, each with its own database and pool, hence max_connections.
        if as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k '$PG_DIR' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
            start >"$TMP_DIR/pg_ctl.log" 2>&1; then
            PG_STARTED=1
            break
        fi
        # A failed start may still have left a postmaster behind.
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" stop -m immediate >/dev/null 2>&1 || true
        log "PostgreSQL failed to start on port $PG_PORT (attempt $attempt); server log:"
        cat "$TMP_DIR/pg_ctl.log" "$PG_DIR/server.log" >&2 || true
    done
    [ "$PG_STARTED" = 1 ] || die "could not start PostgreSQL"

    wait_postgres_ready
    t1=$(now_ms)
    log "PostgreSQL 15 is up on 127.0.0.1:$PG_PORT after $(fmt_secs $((t1 - t0)))s"
}

# pg_ctl -w only proves the postmaster is up; check that TCP logins work.
wait_postgres_ready() {
    local pg_isready psql i
    pg_isready="$PG_BIN/pg_isready"
    [ -x "$pg_isready" ] || pg_isready=pg_isready
    psql="$PG_BIN/psql"
    [ -x "$psql" ] || psql=psql
    for i in $(seq 1 60); do
        if "$pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" &&
            "$psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -tA -c 'select 1' >/dev/null 2>&1; then
            return
        fi
        sleep 0.5
    done
    log "PostgreSQL does not accept connections on 127.0.0.1:$PG_PORT; server log:"
    cat "$PG_DIR/server.log" >&2 || true
    die "PostgreSQL is not ready"
}

stop_postgres() {
    [ "$PG_STARTED" = 1 ] || return 0
    PG_STARTED=0
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" stop -m fast -w -t 30 >/dev/null 2>&1 && return 0
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" stop -m immediate -w -t 10 >/dev/null 2>&1 && return 0
    # Last resort: the postmaster's pid is the first line of postmaster.pid.
    local pid
    pid=$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null || true)
    if [ -n "$pid" ]; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
}

# A streaming standby of the run's PostgreSQL, for the read-replica tests.
start_standby() {
    local t0 t1
    t0=$(now_ms)
    STANDBY_DIR="$TMP_DIR/pg-standby"
    mkdir -p "$STANDBY_DIR"
    chmod 700 "$STANDBY_DIR"
    if is_root; then
        chown "$PG_USER:" "$STANDBY_DIR"
    fi
    if ! as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" \
        -D "$STANDBY_DIR/data" -R -X stream >"$TMP_DIR/basebackup.log" 2>&1; then
        cat "$TMP_DIR/basebackup.log" >&2
        die "pg_basebackup of the test PostgreSQL failed"
    fi
    STANDBY_PORT=$(free_port)
    # A hot standby needs at least the primary's max_connections.
    if ! as_pg "$PG_BIN/pg_ctl" -D "$STANDBY_DIR/data" -l "$STANDBY_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $STANDBY_PORT -k '$STANDBY_DIR' -c hot_standby=on -c max_connections=400" \
        start >"$TMP_DIR/pg_ctl_standby.log" 2>&1; then
        cat "$TMP_DIR/pg_ctl_standby.log" "$STANDBY_DIR/server.log" >&2 || true
        die "could not start the PostgreSQL standby"
    fi
    STANDBY_STARTED=1
    t1=$(now_ms)
    log "PostgreSQL standby is up on 127.0.0.1:$STANDBY_PORT after $(fmt_secs $((t1 - t0)))s"
}

stop_standby() {
    [ "$STANDBY_STARTED" = 1 ] || return 0
    STANDBY_STARTED=0
    as_pg "$PG_BIN/pg_ctl" -D "$STANDBY_DIR/data" stop -m immediate -w -t 10 >/dev/null 2>&1 || true
}

# ------------------------------------------------------------------ Redis ---

redis_ping() {
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
}

start_redis() {
    local t0 t1 attempt i
    for attempt in 1 2 3; do
        REDIS_PORT=$(free_port)
        rm -f "$TMP_DIR/redis.log" "$TMP_DIR/redis.pid"
        t0=$(now_ms)
        # With --daemonize the launcher exits before the port is bound, so a
        # bind failure only shows up as a server that never answers PING.
        redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
            --daemonize yes --pidfile "$TMP_DIR/redis.pid" --logfile "$TMP_DIR/redis.log" \
            --dir "$TMP_DIR" || true
        REDIS_STARTED=1
        for i in $(seq 1 100); do
            if redis_ping; then
                t1=$(now_ms)
                log "Redis is up on 127.0.0.1:$REDIS_PORT after $(fmt_secs $((t1 - t0)))s"
                return
            fi
            # Redis logs "..., aborting." when it gives up (e.g. port taken).
            if grep -q 'aborting' "$TMP_DIR/redis.log" 2>/dev/null; then
                break
            fi
            sleep 0.1
        done
        log "Redis did not answer on port $REDIS_PORT (attempt $attempt); log:"
        cat "$TMP_DIR/redis.log" >&2 || true
        stop_redis
    done
    die "could not start Redis"
}

stop_redis() {
    [ "$REDIS_STARTED" = 1 ] || return 0
    REDIS_STARTED=0
    local pid="" i
    pid=$(cat "$TMP_DIR/redis.pid" 2>/dev/null || true)
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    [ -n "$pid" ] || return 0
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -TERM "$pid" 2>/dev/null || true
    sleep 1
    kill -KILL "$pid" 2>/dev/null || true
}

# ------------------------------------------------------- Stripe emulator ---

LOCALSTRIPE_VERSION=1.15.10
AIOSMTPD_VERSION=1.4.6
TEST_VENV="$ROOT/target/test-venv"

# The Python test servers: localstripe, and aiosmtpd under scripts/mailsink.py.
ensure_python_servers() {
    if [ -x "$TEST_VENV/bin/localstripe" ] && "$TEST_VENV/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
        return
    fi
    command -v python3 >/dev/null 2>&1 || {
        is_root || die "python3 not found; it runs the Stripe emulator (localstripe)"
        apt_install python3 python3-venv
    }
    if ! python3 -m venv "$TEST_VENV" >/dev/null 2>&1; then
        is_root || die "python3 cannot create a virtualenv; install python3-venv"
        apt_install python3-venv
        python3 -m venv "$TEST_VENV"
    fi
    log "installing localstripe $LOCALSTRIPE_VERSION and aiosmtpd $AIOSMTPD_VERSION from PyPI"
    "$TEST_VENV/bin/pip" install --quiet --disable-pip-version-check \
        "localstripe==$LOCALSTRIPE_VERSION" "aiosmtpd==$AIOSMTPD_VERSION"
}

start_localstripe() {
    local attempt i t0 t1
    for attempt in 1 2 3; do
        STRIPE_PORT=$(free_port)
        t0=$(now_ms)
        (cd "$TMP_DIR" && exec "$TEST_VENV/bin/localstripe" --port "$STRIPE_PORT" --from-scratch) \
            >"$TMP_DIR/localstripe.log" 2>&1 &
        STRIPE_PID=$!
        for i in $(seq 1 100); do
            if (exec 3<>"/dev/tcp/127.0.0.1/$STRIPE_PORT") 2>/dev/null; then
                t1=$(now_ms)
                log "localstripe is up on 127.0.0.1:$STRIPE_PORT after $(fmt_secs $((t1 - t0)))s"
                return
            fi
            kill -0 "$STRIPE_PID" 2>/dev/null || break
            sleep 0.1
        done
        log "localstripe did not start on port $STRIPE_PORT (attempt $attempt); log:"
        cat "$TMP_DIR/localstripe.log" >&2 || true
        stop_localstripe
    done
    die "could not start localstripe"
}

stop_localstripe() {
    [ -n "$STRIPE_PID" ] || return 0
    kill -TERM "$STRIPE_PID" 2>/dev/null || true
    wait "$STRIPE_PID" 2>/dev/null || true
    STRIPE_PID=""
}

# ---------------------------------------------------------------- SMTP sink ---

start_mailsink() {
    local attempt i t0 t1
    for attempt in 1 2 3; do
        SMTP_PORT=$(free_port)
        SMTP_API_PORT=$(free_port)
        t0=$(now_ms)
        "$TEST_VENV/bin/python" "$ROOT/scripts/mailsink.py" "$SMTP_PORT" "$SMTP_API_PORT" \
            >"$TMP_DIR/mailsink.log" 2>&1 &
        SMTP_PID=$!
        for i in $(seq 1 100); do
            if (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_API_PORT") 2>/dev/null &&
                (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null; then
                t1=$(now_ms)
                log "SMTP sink is up on 127.0.0.1:$SMTP_PORT (API :$SMTP_API_PORT) after $(fmt_secs $((t1 - t0)))s"
                return
            fi
            kill -0 "$SMTP_PID" 2>/dev/null || break
            sleep 0.1
        done
        log "SMTP sink did not start (attempt $attempt); log:"
        cat "$TMP_DIR/mailsink.log" >&2 || true
        stop_mailsink
    done
    die "could not start the SMTP sink"
}

stop_mailsink() {
    [ -n "$SMTP_PID" ] || return 0
    kill -TERM "$SMTP_PID" 2>/dev/null || true
    wait "$SMTP_PID" 2>/dev/null || true
    SMTP_PID=""
}

# ------------------------------------------------------------ Kafka (tansu) ---

# A Kafka-compatible broker in one Rust binary; its in-memory storage needs the
# `dynostore` feature. Built once per version into a cache outside the repository.
TANSU_VERSION=0.6.0
TOOLS_DIR="${MARQUEE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/marquee-tools}"
TANSU_BIN="$TOOLS_DIR/tansu-$TANSU_VERSION/bin/tansu"

ensure_tansu() {
    [ -x "$TANSU_BIN" ] && return
    mkdir -p "$TOOLS_DIR"
    local t0 t1
    t0=$(now_ms)
    log "building tansu $TANSU_VERSION from crates.io into $TOOLS_DIR (once; several minutes)"
    # One build at a time when runs start together; the second finds the binary.
    (
        flock 9
        [ -x "$TANSU_BIN" ] ||
            cargo install tansu --version "$TANSU_VERSION" --locked --features dynostore \
                --root "$TOOLS_DIR/tansu-$TANSU_VERSION" --quiet
    ) 9>"$TOOLS_DIR/tansu.lock" || die "building tansu $TANSU_VERSION failed"
    [ -x "$TANSU_BIN" ] || die "tansu not found at $TANSU_BIN after building it"
    t1=$(now_ms)
    log "tansu built in $(fmt_secs $((t1 - t0)))s"
}

start_tansu() {
    local attempt i t0 t1 url
    for attempt in 1 2 3; do
        KAFKA_PORT=$(free_port)
        url="tcp://127.0.0.1:$KAFKA_PORT"
        t0=$(now_ms)
        # From the temp dir: tansu reads a .env file in its working directory.
        (cd "$TMP_DIR" && exec "$TANSU_BIN" broker --listener-url "$url" \
            --advertised-listener-url "$url" --storage-engine memory://tansu/) \
            >"$TMP_DIR/tansu.log" 2>&1 &
        KAFKA_PID=$!
        for i in $(seq 1 200); do
            if (exec 3<>"/dev/tcp/127.0.0.1/$KAFKA_PORT") 2>/dev/null; then
                t1=$(now_ms)
                log "tansu (Kafka) is up on 127.0.0.1:$KAFKA_PORT after $(fmt_secs $((t1 - t0)))s"
                return
            fi
            kill -0 "$KAFKA_PID" 2>/dev/null || break
            sleep 0.05
        done
        log "tansu did not start on port $KAFKA_PORT (attempt $attempt); log:"
        cat "$TMP_DIR/tansu.log" >&2 || true
        stop_tansu
    done
    die "could not start tansu"
}

stop_tansu() {
    [ -n "$KAFKA_PID" ] || return 0
    local i
    kill -TERM "$KAFKA_PID" 2>/dev/null || true
    for i in $(seq 1 50); do
        kill -0 "$KAFKA_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$KAFKA_PID" 2>/dev/null || true
    wait "$KAFKA_PID" 2>/dev/null || true
    KAFKA_PID=""
}

# ------------------------------------------------------------ exit handler ---

print_summary() {
    [ "${#STEP_NAMES[@]}" -gt 0 ] || return 0
    local i
    banner "Summary"
    for i in "${!STEP_NAMES[@]}"; do
        printf '  %-8s %8ss  %s\n' "${STEP_RESULTS[$i]}" "${STEP_TIMES[$i]}" "${STEP_NAMES[$i]}"
    done
}

cleanup() {
    local rc=$?
    # A second Ctrl-C must not interrupt the shutdown and leave servers behind.
    trap '' INT TERM
    trap - EXIT
    stop_fleet
    stop_standby
    stop_postgres
    stop_redis
    stop_localstripe
    stop_mailsink
    stop_tansu
    if [ -n "$TMP_DIR" ]; then
        rm -rf "$TMP_DIR"
    fi
    print_summary
    exit "$rc"
}

# ------------------------------------------------------------------ steps ---

# run_step NAME CMD... : run CMD with a banner, record its time and outcome,
# and stop the whole run when it fails.
run_step() {
    local name=$1 t0 t1 rc=0
    shift
    banner "$name"
    printf '$'
    printf ' %q' "$@"
    printf '\n'
    t0=$(now_ms)
    "$@" || rc=$?
    t1=$(now_ms)
    STEP_NAMES+=("$name")
    STEP_TIMES+=("$(fmt_secs $((t1 - t0)))")
    if [ "$rc" -eq 0 ]; then
        STEP_RESULTS+=("ok")
    else
        STEP_RESULTS+=("FAILED")
        printf '\nerror: step "%s" failed with exit code %d\n' "$name" "$rc" >&2
        exit "$rc"
    fi
}

start_servers() {
    local t0 t1
    t0=$(now_ms)
    ensure_postgres
    ensure_redis
    ensure_prometheus
    ensure_python_servers
    ensure_tansu
    make_tmp_dir
    start_postgres
    start_standby
    start_redis
    start_localstripe
    start_mailsink
    start_tansu
    export TEST_DATABASE_URL="postgres://$PG_USER@127.0.0.1:$PG_PORT/postgres"
    export TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/"
    export TEST_DATABASE_READ_URL="postgres://$PG_USER@127.0.0.1:$STANDBY_PORT/postgres"
    export TEST_STRIPE_API="http://127.0.0.1:$STRIPE_PORT"
    export TEST_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT"
    export TEST_SMTP_API="http://127.0.0.1:$SMTP_API_PORT"
    export TEST_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
    export TEST_TANSU_BIN="$TANSU_BIN"
    t1=$(now_ms)
    STEP_NAMES+=("start PostgreSQL + Redis + localstripe + SMTP sink + tansu")
    STEP_TIMES+=("$(fmt_secs $((t1 - t0)))")
    STEP_RESULTS+=("ok")
}

main() {
    local skip_lint=0 servers_only=0 fleet_only=0
    while [ $# -gt 0 ]; do
        case "$1" in
        --skip-lint) skip_lint=1 ;;
        --servers-only) servers_only=1 ;;
        --fleet-only) fleet_only=1 ;;
        -h | --help)
            usage
            exit 0
            ;;
        *) break ;; # everything else belongs to cargo test / the command
        esac
        shift
    done

    trap cleanup EXIT
    # Exiting from these traps runs the EXIT handler, so servers always stop.
    trap 'exit 130' INT
    trap 'exit 143' TERM

    if [ "$servers_only" = 1 ]; then
        if [ "${1:-}" = "--" ]; then
            shift
        fi
        [ $# -gt 0 ] || die "--servers-only needs a command, e.g. scripts/test.sh --servers-only -- cargo test -p marquee-tests"
        banner "Starting PostgreSQL, Redis, localstripe, the SMTP sink and tansu"
        start_servers
        export TEST_BACKEND=postgres
        printf 'TEST_DATABASE_URL=%s\nTEST_REDIS_URL=%s\nTEST_STRIPE_API=%s\nTEST_SMTP_URL=%s\nTEST_SMTP_API=%s\nTEST_KAFKA_BROKERS=%s\n' \
            "$TEST_DATABASE_URL" "$TEST_REDIS_URL" "$TEST_STRIPE_API" "$TEST_SMTP_URL" "$TEST_SMTP_API" "$TEST_KAFKA_BROKERS"
        run_step "command" "$@"
        return
    fi

    cd "$ROOT"
    if [ "$fleet_only" = 1 ]; then
        ensure_postgres
        ensure_redis
        ensure_prometheus
        ensure_fleet_tools
        make_tmp_dir
        run_step "fleet: alert rules (promtool)" fleet_rules
        run_step "fleet: cluster drills" fleet_drills
        return
    fi
    if [ "$skip_lint" = 0 ]; then
        ensure_lint_tools
    fi
    ensure_fleet_tools
    ensure_web_tools

    banner "Starting PostgreSQL, Redis, localstripe, the SMTP sink and tansu"
    start_servers

    if [ "$skip_lint" = 0 ]; then
        run_step "cargo fmt" cargo fmt --all -- --check
        run_step "cargo clippy" cargo clippy --workspace --all-targets -- -D warnings
    fi
    run_step "cargo test (SQLite)" \
        env -u TEST_DATABASE_URL -u TEST_REDIS_URL TEST_BACKEND=sqlite \
        cargo test --workspace "$@"
    run_step "cargo test (PostgreSQL + Redis)" \
        env TEST_BACKEND=postgres cargo test --workspace "$@"
    run_step "web: npm ci" web_install
    run_step "web: build (codegen, typecheck, bundle size)" web_build
    run_step "web: browser tests (Chromium, embedded server)" web_e2e
    run_step "web: main flow in the browser (PostgreSQL + Redis)" web_e2e_pg
    run_step "fleet: alert rules (promtool)" fleet_rules
    run_step "fleet: cluster drills" fleet_drills
}

main "$@"
