#!/usr/bin/env bash
# A Marquee fleet on this machine, every part on loopback ports picked at run time.
#
#   scripts/cluster.sh up | down | status
#   scripts/cluster.sh start-instance N | start-pg N | stop-pg N | start-redis N
#
#   up      start the fleet and wait until every part is ready:
#             etcd (3 members) and Patroni over two PostgreSQL 15 nodes (a primary and a
#             synchronous streaming standby); Redis (a primary and a replica) with three
#             Sentinels; HAProxy (HTTP and WebSockets over the instances, a PostgreSQL
#             write port on the Patroni leader, a read port on the standby, a Redis port
#             on the Redis primary); CLUSTER_INSTANCES (3) `marquee` instances sharing a
#             JWT secret made here, all running the workers; Prometheus scraping them
#             with deploy/prometheus/marquee.rules.yml.
#           Writes STATE_DIR/cluster.env (KEY=VALUE) for tests and operators.
#   down    stop everything and remove STATE_DIR
#   status  each part's state: Patroni roles, Redis roles, instances' /readyz, ...
#   start-instance N   start instance N again, with the command line `up` wrote for it
#   start-pg N         start Patroni node N again (an old primary rejoins as a standby)
#   stop-pg N          stop Patroni node N and its PostgreSQL (a primary hands over)
#   start-redis N      start Redis node N again, as a replica of the primary Sentinel names
#
# Environment:
#   CLUSTER_DIR        state directory (default target/cluster)
#   CLUSTER_INSTANCES  marquee instances (default 3)
#   CLUSTER_MARQUEE_BIN  the server binary (default target/debug/marquee)
#   PG_BIN             PostgreSQL 15 binaries (default /usr/lib/postgresql/15/bin)
#   LOCALSTRIPE        a Stripe emulator for every instance to pay through (e.g.
#                      target/test-venv/bin/localstripe from scripts/test.sh); unset, each
#                      instance pays through its own embedded fake gateway, whose charges
#                      only it can reconcile (an in-flight charge dies with it)
# Runs as root (PostgreSQL and Patroni then run as the `postgres` user) or as any user
# who can run them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPLOY="$ROOT/deploy"
STATE="${CLUSTER_DIR:-$ROOT/target/cluster}"
case "$STATE" in /*) ;; *) STATE="$PWD/$STATE" ;; esac
INSTANCES="${CLUSTER_INSTANCES:-3}"
CLUSTER_MARQUEE_BIN="${CLUSTER_MARQUEE_BIN:-$ROOT/target/debug/marquee}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
LOCALSTRIPE="${LOCALSTRIPE:-}"
PG_NODES=2
REDIS_NODES=2
SENTINELS=3
ETCD_MEMBERS=3
SYS_PYTHON=/usr/bin/python3
[ -x "$SYS_PYTHON" ] || SYS_PYTHON=python3

log() { printf '==> %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}
now_ms() { date +%s%3N; }
is_root() { [ "$(id -u)" -eq 0 ]; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

# The values `up` chose, for the other commands.
load_env() {
    [ -f "$STATE/cluster.env" ] || die "no cluster in $STATE (run: scripts/cluster.sh up)"
    set -a
    # shellcheck disable=SC1091
    . "$STATE/cluster.env"
    set +a
}

# How each part is configured, started, stopped and checked.
# shellcheck source=scripts/cluster-parts.sh
. "$ROOT/scripts/cluster-parts.sh"

# --------------------------------------------------------------------- up ---

cmd_up() {
    local t0 i
    t0=$(now_ms)
    [ ! -f "$STATE/cluster.env" ] || die "a cluster is already up in $STATE (scripts/cluster.sh down first)"
    [ -x "$CLUSTER_MARQUEE_BIN" ] || die "$CLUSTER_MARQUEE_BIN not found (cargo build -p marquee)"
    for tool in etcd etcdctl patroni haproxy redis-server redis-sentinel redis-cli prometheus curl; do
        command -v "$tool" >/dev/null 2>&1 || die "$tool not found (see scripts/test.sh for the packages)"
    done
    [ -x "$PG_BIN/postgres" ] || die "PostgreSQL 15 not found in $PG_BIN"

    rm -rf "$STATE"
    mkdir -p "$STATE"/{pids,logs,bin,instances,redis,etcd,prometheus}
    chmod 755 "$STATE"
    # The postgres user must reach its data through the state directory; else /tmp.
    PG_ROOT="$STATE/pg"
    mkdir -p "$PG_ROOT"
    if is_root && ! setpriv --reuid=postgres --regid=postgres --init-groups -- test -x "$PG_ROOT"; then
        PG_ROOT=$(mktemp -d /tmp/marquee-cluster-pg.XXXXXX)
        rmdir "$STATE/pg"
        ln -s "$PG_ROOT" "$STATE/pg"
    fi
    chmod 755 "$PG_ROOT"
    cp "$CLUSTER_MARQUEE_BIN" "$STATE/bin/marquee"
    # If anything below fails, nothing is left running.
    trap 'rc=$?; if [ $rc -ne 0 ]; then log "up failed; stopping what started (logs kept in $STATE/logs until down)"; KEEP_STATE=1 cmd_down >/dev/null 2>&1 || true; fi' EXIT

    local ports
    read -r -a ports <<<"$(free_ports $((ETCD_MEMBERS * 2 + PG_NODES * 2 + REDIS_NODES + SENTINELS + INSTANCES + 7)))"
    local k=0
    ETCD_ENDPOINTS="" ETCD_HOSTS=""
    for i in $(seq 1 $ETCD_MEMBERS); do
        eval "ETCD_${i}_PORT=${ports[$k]}"; k=$((k + 1))
        eval "ETCD_${i}_PEER_PORT=${ports[$k]}"; k=$((k + 1))
        ETCD_ENDPOINTS+="${ETCD_ENDPOINTS:+,}http://127.0.0.1:$(eval echo "\$ETCD_${i}_PORT")"
        ETCD_HOSTS+="${ETCD_HOSTS:+,}127.0.0.1:$(eval echo "\$ETCD_${i}_PORT")"
    done
    for i in $(seq 1 $PG_NODES); do
        eval "PG_${i}_PORT=${ports[$k]}"; k=$((k + 1))
        eval "PATRONI_${i}_PORT=${ports[$k]}"; k=$((k + 1))
    done
    for i in $(seq 1 $REDIS_NODES); do eval "REDIS_${i}_PORT=${ports[$k]}"; k=$((k + 1)); done
    for i in $(seq 1 $SENTINELS); do eval "SENTINEL_${i}_PORT=${ports[$k]}"; k=$((k + 1)); done
    for i in $(seq 1 "$INSTANCES"); do eval "INSTANCE_${i}_PORT=${ports[$k]}"; k=$((k + 1)); done
    BALANCER_PORT=${ports[$k]}; k=$((k + 1))
    PG_WRITE_PORT=${ports[$k]}; k=$((k + 1))
    PG_READ_PORT=${ports[$k]}; k=$((k + 1))
    REDIS_WRITE_PORT=${ports[$k]}; k=$((k + 1))
    HAPROXY_STATS_PORT=${ports[$k]}; k=$((k + 1))
    PROMETHEUS_PORT=${ports[$k]}; k=$((k + 1))

    PG_SUPERUSER_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    PG_REPLICATION_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '/+=')
    ADMIN_EMAIL=fleet-admin@marquee.test
    ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    DATABASE_URL="postgres://postgres@127.0.0.1:$PG_WRITE_PORT/marquee"
    DATABASE_READ_URL="postgres://postgres@127.0.0.1:$PG_READ_PORT/marquee"
    REDIS_URL="redis://127.0.0.1:$REDIS_WRITE_PORT/"

    log "starting etcd ($ETCD_MEMBERS members), Redis + Sentinels"
    start_etcd
    start_redis_node 1
    start_redis_node 2 "$REDIS_1_PORT"
    for i in $(seq 1 $SENTINELS); do start_sentinel "$i"; done
    wait_for "etcd" 30 etcd_healthy

    log "starting Patroni + PostgreSQL ($PG_NODES nodes)"
    for i in $(seq 1 $PG_NODES); do write_patroni_config "$i"; done
    start_patroni 1
    wait_for "the first Patroni node (bootstrap)" 60 http_ok "http://127.0.0.1:$PATRONI_1_PORT/primary"
    for i in $(seq 2 $PG_NODES); do start_patroni "$i"; done

    log "starting HAProxy"
    write_haproxy_config
    haproxy -c -q -f "$STATE/haproxy.cfg" || die "HAProxy rejects $STATE/haproxy.cfg"
    haproxy -D -f "$STATE/haproxy.cfg" >>"$STATE/logs/haproxy.log" 2>&1

    PG_WRITE_CHECK=$PATRONI_1_PORT
    wait_for "a synchronous PostgreSQL standby" 60 pg_pair_ready
    wait_for "the PostgreSQL write port" 20 psql_at "$PG_WRITE_PORT" "select 1"
    wait_for "the PostgreSQL read port" 20 psql_at "$PG_READ_PORT" "select 1"
    psql_at "$PG_WRITE_PORT" "create database marquee" >/dev/null
    wait_for "Redis replication" 20 redis_link_up
    wait_for "the Redis port of the balancer" 20 redis_write_ok

    # One payment gateway for the whole fleet, as Stripe is in production (a charge made
    # through an instance that dies is settled by another's reconciliation), or each
    # instance's embedded one (the emulator is too slow for an on-sale).
    GATEWAY_ENV="export MARQUEE_RECONCILE_AFTER_SECONDS=2"
    if [ -n "$LOCALSTRIPE" ]; then
        [ -x "$LOCALSTRIPE" ] || die "LOCALSTRIPE=$LOCALSTRIPE is not executable"
        STRIPE_PORT=${ports[$k]}; k=$((k + 1))
        (cd "$STATE" && start localstripe "$LOCALSTRIPE" --port "$STRIPE_PORT" --from-scratch)
        wait_for "localstripe" 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/$STRIPE_PORT"
        GATEWAY_ENV+=" MARQUEE_PAYMENT_GATEWAY=stripe MARQUEE_STRIPE_SECRET_KEY=sk_test_fleet MARQUEE_STRIPE_API_BASE=http://127.0.0.1:$STRIPE_PORT"
    fi

    log "migrating, creating the admin, starting $INSTANCES instances"
    for i in $(seq 1 "$INSTANCES"); do write_instance_script "$i"; done
    # A clean environment, as for the instances: a stray MARQUEE_* would be an unknown key.
    env -i PATH="$PATH" MARQUEE_DATABASE_URL="$DATABASE_URL" MARQUEE_DATA_DIR="$STATE/instances/i1" MARQUEE_LOG_FILTER=warn \
        "$STATE/bin/marquee" migrate >>"$STATE/logs/migrate.log" 2>&1 || die "migrations failed: $(tail -n 20 "$STATE/logs/migrate.log")"
    echo "$ADMIN_PASSWORD" | env -i PATH="$PATH" MARQUEE_DATABASE_URL="$DATABASE_URL" MARQUEE_DATA_DIR="$STATE/instances/i1" \
        MARQUEE_LOG_FILTER=warn "$STATE/bin/marquee" create-admin --email "$ADMIN_EMAIL" >>"$STATE/logs/migrate.log" 2>&1 ||
        die "create-admin failed: $(tail -n 20 "$STATE/logs/migrate.log")"
    for i in $(seq 1 "$INSTANCES"); do start_instance "$i"; done

    log "starting Prometheus"
    local targets=""
    for i in $(seq 1 "$INSTANCES"); do
        targets+="${targets:+, }'127.0.0.1:$(eval echo "\$INSTANCE_${i}_PORT")'"
    done
    fill "$DEPLOY/prometheus/prometheus.yml" "$STATE/prometheus/prometheus.yml" \
        TARGETS="$targets" RULES="$DEPLOY/prometheus/marquee.rules.yml"
    start prometheus prometheus --config.file "$STATE/prometheus/prometheus.yml" \
        --storage.tsdb.path "$STATE/prometheus/data" --web.listen-address "127.0.0.1:$PROMETHEUS_PORT" \
        --web.enable-lifecycle --log.level warn

    for i in $(seq 1 "$INSTANCES"); do
        wait_for "instance $i" 60 http_ok "http://127.0.0.1:$(eval echo "\$INSTANCE_${i}_PORT")/readyz"
    done
    wait_for "the balancer" 20 balancer_sees_all
    wait_for "Prometheus" 30 http_ok "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"
    wait_for "Prometheus's targets" 30 prometheus_sees_all

    write_env
    trap - EXIT
    log "fleet up in $(($(now_ms) - t0)) ms: balancer http://127.0.0.1:$BALANCER_PORT, state in $STATE"
}

redis_link_up() { redis-cli -h 127.0.0.1 -p "$REDIS_2_PORT" info replication | grep -q 'master_link_status:up'; }
redis_write_ok() { redis-cli -h 127.0.0.1 -p "$REDIS_WRITE_PORT" role | head -n 1 | grep -q master; }

# Every instance is UP in HAProxy (its CSV stats, column 18 is the status).
balancer_sees_all() {
    local up
    up=$(curl -sf --max-time 1 "http://127.0.0.1:$HAPROXY_STATS_PORT/;csv" | awk -F, '$1 == "marquee" && $2 ~ /^i[0-9]+$/ && $18 == "UP"' | wc -l)
    [ "$up" -eq "$INSTANCES" ]
}

prometheus_targets_up() {
    curl -sf --max-time 2 "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/targets?state=active" |
        "$SYS_PYTHON" -c 'import json,sys; t=json.load(sys.stdin)["data"]["activeTargets"]; print(sum(x["health"]=="up" for x in t))'
}

prometheus_sees_all() { [ "$(prometheus_targets_up)" = "$INSTANCES" ]; }

write_env() {
    local i f="$STATE/cluster.env"
    {
        echo "CLUSTER_DIR=$STATE"
        echo "CLUSTER_SCRIPT=$ROOT/scripts/cluster.sh"
        echo "BALANCER_URL=http://127.0.0.1:$BALANCER_PORT"
        echo "BALANCER_PORT=$BALANCER_PORT"
        echo "HAPROXY_STATS_URL=http://127.0.0.1:$HAPROXY_STATS_PORT/"
        echo "HAPROXY_STATS_PORT=$HAPROXY_STATS_PORT"
        echo "INSTANCES=$INSTANCES"
        for i in $(seq 1 "$INSTANCES"); do
            echo "INSTANCE_${i}_PORT=$(eval echo "\$INSTANCE_${i}_PORT")"
            echo "INSTANCE_${i}_URL=http://127.0.0.1:$(eval echo "\$INSTANCE_${i}_PORT")"
            echo "INSTANCE_${i}_PID=$(pid_of "instance$i")"
            echo "INSTANCE_${i}_PIDFILE=$STATE/pids/instance$i.pid"
        done
        echo "PG_NODES=$PG_NODES"
        for i in $(seq 1 $PG_NODES); do
            echo "PG_${i}_PORT=$(eval echo "\$PG_${i}_PORT")"
            echo "PATRONI_${i}_PORT=$(eval echo "\$PATRONI_${i}_PORT")"
            echo "PATRONI_${i}_URL=http://127.0.0.1:$(eval echo "\$PATRONI_${i}_PORT")"
        done
        echo "PG_ROOT=$PG_ROOT"
        echo "PG_BIN=$PG_BIN"
        echo "PG_WRITE_PORT=$PG_WRITE_PORT"
        echo "PG_READ_PORT=$PG_READ_PORT"
        echo "DATABASE_URL=$DATABASE_URL"
        echo "DATABASE_READ_URL=$DATABASE_READ_URL"
        echo "REDIS_NODES=$REDIS_NODES"
        for i in $(seq 1 $REDIS_NODES); do echo "REDIS_${i}_PORT=$(eval echo "\$REDIS_${i}_PORT")"; done
        echo "SENTINELS=$SENTINELS"
        for i in $(seq 1 $SENTINELS); do echo "SENTINEL_${i}_PORT=$(eval echo "\$SENTINEL_${i}_PORT")"; done
        echo "REDIS_WRITE_PORT=$REDIS_WRITE_PORT"
        echo "REDIS_URL=$REDIS_URL"
        echo "PROMETHEUS_URL=http://127.0.0.1:$PROMETHEUS_PORT"
        echo "STRIPE_API=${STRIPE_PORT:+http://127.0.0.1:$STRIPE_PORT}"
        echo "ETCD_ENDPOINTS=$ETCD_ENDPOINTS"
        echo "ETCD_HOSTS=$ETCD_HOSTS"
        echo "ADMIN_EMAIL=$ADMIN_EMAIL"
        echo "ADMIN_PASSWORD=$ADMIN_PASSWORD"
    } >"$f.tmp"
    mv "$f.tmp" "$f"
    chmod 600 "$f"
}

# ------------------------------------------------------------------- down ---

cmd_down() {
    [ -d "$STATE" ] || return 0
    local i name
    for i in $(seq 1 "${INSTANCES:-9}"); do stop_proc "instance$i" 5; done
    for name in "$STATE"/pids/instance*.pid; do [ -e "$name" ] && stop_proc "$(basename "$name" .pid)" 5; done
    stop_proc prometheus 5
    stop_proc localstripe 2
    stop_proc haproxy 2
    PG_ROOT=$(readlink -f "$STATE/pg" 2>/dev/null || echo "$STATE/pg")
    for i in $(seq 1 $PG_NODES); do stop_patroni "$i"; done
    for i in $(seq 1 $SENTINELS); do stop_proc "sentinel$i" 2; done
    for i in $(seq 1 $REDIS_NODES); do stop_proc "redis$i" 2; done
    for i in $(seq 1 $ETCD_MEMBERS); do stop_proc "etcd$i" 5; done
    [ "${KEEP_STATE:-0}" = 0 ] || return 0
    case "$PG_ROOT" in /tmp/marquee-cluster-pg.*) rm -rf "$PG_ROOT" ;; esac
    rm -rf "$STATE"
    log "fleet down"
}

# ----------------------------------------------------------------- status ---

cmd_status() {
    load_env
    local i port role rc=0
    printf '%-22s %s\n' "balancer" "$BALANCER_URL (stats $HAPROXY_STATS_URL)"
    for i in $(seq 1 "$INSTANCES"); do
        port=$(eval echo "\$INSTANCE_${i}_PORT")
        role=$(curl -s --max-time 2 "http://127.0.0.1:$port/readyz" || echo "down")
        printf '%-22s %s pid %s: %s\n' "instance $i" "127.0.0.1:$port" "$(pid_of "instance$i")" "$role"
    done
    for i in $(seq 1 "$PG_NODES"); do
        printf '%-22s %s: %s\n' "postgres pg$i" "127.0.0.1:$(eval echo "\$PG_${i}_PORT")" \
            "$(patroni_role "$(eval echo "\$PATRONI_${i}_PORT")")"
    done
    printf '%-22s %s\n' "postgres write port" "127.0.0.1:$PG_WRITE_PORT: $(psql_at "$PG_WRITE_PORT" "select case when pg_is_in_recovery() then 'standby' else 'primary' end" || echo down)"
    printf '%-22s %s\n' "postgres read port" "127.0.0.1:$PG_READ_PORT: $(psql_at "$PG_READ_PORT" "select case when pg_is_in_recovery() then 'standby' else 'primary' end" || echo down)"
    printf '%-22s %s\n' "synchronous standby" "$(psql_at "$PG_WRITE_PORT" "select coalesce(string_agg(application_name || ' ' || sync_state || ' ' || state, ', '), 'none') from pg_stat_replication" || echo unknown)"
    for i in $(seq 1 "$REDIS_NODES"); do
        port=$(eval echo "\$REDIS_${i}_PORT")
        role=$(redis_role "$port")
        printf '%-22s %s: %s\n' "redis r$i" "127.0.0.1:$port" "${role:-down}"
    done
    printf '%-22s %s\n' "sentinels' primary" "127.0.0.1:$(sentinel_primary_port)"
    printf '%-22s %s\n' "redis port" "127.0.0.1:$REDIS_WRITE_PORT: $(redis_role "$REDIS_WRITE_PORT" || true)"
    printf '%-22s %s\n' "etcd" "$(ETCDCTL_API=3 etcdctl --endpoints "$ETCD_ENDPOINTS" endpoint health 2>&1 | grep -c 'is healthy')/$ETCD_MEMBERS healthy"
    printf '%-22s %s: %s\n' "prometheus" "$PROMETHEUS_URL" \
        "$(curl -s --max-time 2 "$PROMETHEUS_URL/api/v1/targets?state=active" | "$SYS_PYTHON" -c 'import json,sys; t=json.load(sys.stdin)["data"]["activeTargets"]; print(sum(x["health"]=="up" for x in t), "of", len(t), "targets up")' 2>/dev/null || echo down)"
    return $rc
}

# ----------------------------------------------------------- drill helpers ---

cmd_start_instance() {
    load_env
    local n=${1:?instance number}
    ! alive "instance$n" || die "instance $n is running"
    start_instance "$n"
    wait_for "instance $n" 60 http_ok "http://127.0.0.1:$(eval echo "\$INSTANCE_${n}_PORT")/readyz"
}

cmd_start_pg() {
    load_env
    local n=${1:?node number}
    ! alive "patroni$n" || die "Patroni node $n is running"
    start_patroni "$n"
    wait_for "Patroni node $n as a streaming standby" 90 http_ok "http://127.0.0.1:$(eval echo "\$PATRONI_${n}_PORT")/replica"
}

cmd_stop_pg() {
    load_env
    stop_patroni "${1:?node number}"
}

cmd_start_redis() {
    load_env
    local n=${1:?node number} primary
    ! alive "redis$n" || die "Redis node $n is running"
    primary=$(sentinel_primary_port)
    [ -n "$primary" ] || die "no Sentinel names a Redis primary"
    [ "$primary" != "$(eval echo "\$REDIS_${n}_PORT")" ] || die "the Sentinels still name node $n the primary"
    # Started as a replica of the current primary: never a second primary, even briefly.
    start_redis_node "$n" "$primary"
    wait_for "Redis node $n as a replica" 30 redis_replica_of "$n" "$primary"
}

redis_replica_of() {
    redis-cli -h 127.0.0.1 -p "$(eval echo "\$REDIS_${1}_PORT")" info replication |
        tr -d '\r' | grep -q "^master_link_status:up"
}

main() {
    local cmd=${1:-}
    [ $# -gt 0 ] && shift
    case "$cmd" in
    up) cmd_up ;;
    down)
        if [ -f "$STATE/cluster.env" ]; then load_env; fi
        cmd_down
        ;;
    status) cmd_status ;;
    start-instance) cmd_start_instance "$@" ;;
    start-pg) PG_ROOT=$(readlink -f "$STATE/pg") cmd_start_pg "$@" ;;
    stop-pg) PG_ROOT=$(readlink -f "$STATE/pg") cmd_stop_pg "$@" ;;
    start-redis) cmd_start_redis "$@" ;;
    -h | --help | help) usage ;;
    *)
        usage >&2
        exit 2
        ;;
    esac
}

main "$@"
