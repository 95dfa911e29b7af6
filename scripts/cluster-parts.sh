# The parts of the fleet for scripts/cluster.sh (sourced, not run): the process plumbing
# they share, and how each part is configured, started, stopped and checked. Uses the
# variables scripts/cluster.sh sets (STATE, DEPLOY, PG_BIN, the ports, ...).
# shellcheck shell=bash

# N free loopback ports at once (held together so that none is handed out twice).
free_ports() {
    "$SYS_PYTHON" - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# fill TEMPLATE OUT KEY=VALUE...: copy TEMPLATE to OUT with every @KEY@ replaced.
fill() {
    local tmpl=$1 out=$2 kv key value
    shift 2
    cp "$tmpl" "$out.tmp"
    for kv in "$@"; do
        key=${kv%%=*}
        value=${kv#*=}
        KEY="@$key@" VALUE="$value" "$SYS_PYTHON" -c '
import os, sys
p = sys.argv[1]
s = open(p).read().replace(os.environ["KEY"], os.environ["VALUE"])
open(p, "w").write(s)' "$out.tmp"
    done
    mv "$out.tmp" "$out"
}

# start NAME CMD...: run CMD in the background in a session of its own, its output in
# logs/NAME.log and its pid in pids/NAME.pid.
start() {
    local name=$1
    shift
    (setsid "$@" >>"$STATE/logs/$name.log" 2>&1 </dev/null &
        echo $! >"$STATE/pids/$name.pid")
}

pid_of() { cat "$STATE/pids/$1.pid" 2>/dev/null || true; }
alive() {
    local pid
    pid=$(pid_of "$1")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# stop_proc NAME [SECONDS]: SIGTERM, then SIGKILL after SECONDS (default 10).
stop_proc() {
    local name=$1 wait=${2:-10} pid i
    pid=$(pid_of "$name")
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 $((wait * 10))); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$STATE/pids/$name.pid"
}

# wait_for WHAT SECONDS CMD...: retry CMD every 0.2 s until it succeeds.
wait_for() {
    local what=$1 secs=$2 i
    shift 2
    for i in $(seq 1 $((secs * 5))); do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.2
    done
    local newest
    newest=$(ls -t "$STATE"/logs/*.log 2>/dev/null | head -n 1)
    [ -z "$newest" ] || { printf -- '--- %s\n' "$newest"; tail -n 20 "$newest"; } >&2
    die "$what not ready after ${secs}s (logs in $STATE/logs)"
}

http_ok() { curl -sf -o /dev/null --max-time 1 "$1"; }

# -------------------------------------------------------------------- etcd ---

start_etcd() {
    local i cluster="" name
    for i in $(seq 1 $ETCD_MEMBERS); do
        cluster+="${cluster:+,}e$i=http://127.0.0.1:$(eval echo "\$ETCD_${i}_PEER_PORT")"
    done
    for i in $(seq 1 $ETCD_MEMBERS); do
        name=e$i
        mkdir -p "$STATE/etcd/$name"
        local client peer
        client=$(eval echo "\$ETCD_${i}_PORT")
        peer=$(eval echo "\$ETCD_${i}_PEER_PORT")
        start "etcd$i" etcd --name "$name" --data-dir "$STATE/etcd/$name" \
            --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
            --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
            --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token marquee \
            --heartbeat-interval 100 --election-timeout 1000 --log-level warn
    done
}

etcd_healthy() { ETCDCTL_API=3 etcdctl --endpoints "$ETCD_ENDPOINTS" endpoint health; }

# ------------------------------------------------------- Patroni/PostgreSQL ---

# PostgreSQL refuses root: its processes run as `postgres`, straight from setpriv (not
# runuser, which stays in between) so that the pid file names Patroni itself.
AS_PG=()
if is_root; then
    AS_PG=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi

write_patroni_config() {
    local n=$1 dir="$PG_ROOT/pg$1"
    mkdir -p "$dir"
    fill "$DEPLOY/patroni/patroni.yml.tmpl" "$dir/patroni.yml" \
        NODE="pg$n" REST_PORT="$(eval echo "\$PATRONI_${n}_PORT")" ETCD_HOSTS="$ETCD_HOSTS" \
        PG_PORT="$(eval echo "\$PG_${n}_PORT")" DATA_DIR="$dir/data" PG_BIN="$PG_BIN" NODE_DIR="$dir" \
        SUPERUSER_PASSWORD="$PG_SUPERUSER_PASSWORD" REPLICATION_PASSWORD="$PG_REPLICATION_PASSWORD"
    if is_root; then
        chown -R postgres: "$dir"
    fi
}

start_patroni() {
    local n=$1
    (cd "$PG_ROOT" && start "patroni$n" "${AS_PG[@]}" patroni "$PG_ROOT/pg$n/patroni.yml")
}

# stop_patroni N: Patroni stops its PostgreSQL (a leader hands the lock over first).
stop_patroni() {
    local n=$1 pid
    stop_proc "patroni$n" 30
    # A Patroni killed outright can leave its postmaster behind.
    pid=$(head -n 1 "$PG_ROOT/pg$n/data/postmaster.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -QUIT "$pid" 2>/dev/null || true
        sleep 0.5
        kill -KILL "$pid" 2>/dev/null || true
    fi
}

patroni_role() { curl -s --max-time 1 "http://127.0.0.1:$1/patroni" | "$SYS_PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print(d.get("role","?"), d.get("state","?"))' 2>/dev/null || echo "down"; }

# The leader is up and a standby streams from it synchronously.
pg_pair_ready() {
    curl -sf --max-time 1 "http://127.0.0.1:$PG_WRITE_CHECK/primary" >/dev/null || return 1
    local sync
    sync=$(psql_at "$PG_WRITE_PORT" "select count(*) from pg_stat_replication where sync_state = 'sync' and state = 'streaming'")
    [ "$sync" = 1 ]
}

psql_at() { "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$1" -U postgres -d "${3:-postgres}" -tAc "$2" 2>/dev/null; }

# ------------------------------------------------------------------- Redis ---

start_redis_node() {
    local n=$1 replicaof=${2:-} port dir
    port=$(eval echo "\$REDIS_${n}_PORT")
    dir="$STATE/redis/r$n"
    mkdir -p "$dir"
    fill "$DEPLOY/redis/redis.conf.tmpl" "$dir/redis.conf" PORT="$port" DIR="$dir" \
        REPLICAOF="${replicaof:+replicaof 127.0.0.1 $replicaof}"
    start "redis$n" redis-server "$dir/redis.conf"
}

start_sentinel() {
    local n=$1 port dir
    port=$(eval echo "\$SENTINEL_${n}_PORT")
    dir="$STATE/redis/s$n"
    mkdir -p "$dir"
    fill "$DEPLOY/redis/sentinel.conf.tmpl" "$dir/sentinel.conf" PORT="$port" DIR="$dir" \
        PRIMARY_PORT="$REDIS_1_PORT"
    start "sentinel$n" redis-sentinel "$dir/sentinel.conf"
}

redis_role() { redis-cli -h 127.0.0.1 -p "$1" role 2>/dev/null | head -n 1 || true; }

# The Redis primary's port, as a majority of the Sentinels that answer name it.
sentinel_primary_port() {
    local n port answer
    for n in $(seq 1 $SENTINELS); do
        port=$(eval echo "\$SENTINEL_${n}_PORT")
        answer=$(redis-cli -h 127.0.0.1 -p "$port" sentinel get-master-addr-by-name marquee 2>/dev/null | sed -n 2p)
        [ -n "$answer" ] && echo "$answer"
    done | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }'
}

# ----------------------------------------------------------------- HAProxy ---

write_haproxy_config() {
    local servers="" pgw="" red="" i pg rest
    for i in $(seq 1 "$INSTANCES"); do
        servers+="    server i$i 127.0.0.1:$(eval echo "\$INSTANCE_${i}_PORT") check"$'\n'
    done
    # Each PostgreSQL node is checked through its Patroni REST port.
    for i in $(seq 1 $PG_NODES); do
        pg=$(eval echo "\$PG_${i}_PORT")
        rest=$(eval echo "\$PATRONI_${i}_PORT")
        pgw+="    server pg$i 127.0.0.1:$pg check port $rest"$'\n'
    done
    for i in $(seq 1 $REDIS_NODES); do
        red+="    server r$i 127.0.0.1:$(eval echo "\$REDIS_${i}_PORT") check"$'\n'
    done
    fill "$DEPLOY/haproxy/haproxy.cfg.tmpl" "$STATE/haproxy.cfg" STATE_DIR="$STATE" \
        STATS_PORT="$HAPROXY_STATS_PORT" HTTP_PORT="$BALANCER_PORT" PG_WRITE_PORT="$PG_WRITE_PORT" \
        PG_READ_PORT="$PG_READ_PORT" REDIS_WRITE_PORT="$REDIS_WRITE_PORT" \
        MARQUEE_SERVERS="${servers%$'\n'}" PG_WRITE_SERVERS="${pgw%$'\n'}" \
        PG_READ_SERVERS="${pgw%$'\n'}" REDIS_SERVERS="${red%$'\n'}"
}

# ---------------------------------------------------------------- instances ---

write_instance_script() {
    local n=$1 dir="$STATE/instances/i$1" port
    port=$(eval echo "\$INSTANCE_${n}_PORT")
    mkdir -p "$dir"
    # Everything an instance is started with, so that a drill starts it again the same way.
    cat >"$STATE/instances/i$n.sh" <<EOF
#!/bin/sh
export MARQUEE_BIND=127.0.0.1:$port
export MARQUEE_DATA_DIR=$dir
export MARQUEE_DATABASE_URL=$DATABASE_URL
# Catalog lists (theatres, showtimes, search's nearby showtimes) from the standby while it
# is proved within a second of the primary; the booking path always on the primary.
export MARQUEE_DATABASE_READ_URL=$DATABASE_READ_URL
export MARQUEE_DATABASE_READ_MAX_LAG_MS=1000
export MARQUEE_REDIS_URL=$REDIS_URL
export MARQUEE_JWT_SECRET=$JWT_SECRET
export MARQUEE_TRUSTED_PROXIES=127.0.0.1
export MARQUEE_RUN_WORKERS=true
export MARQUEE_SEED_DEMO=false
export MARQUEE_LOG_FORMAT=json
export MARQUEE_LOG_FILTER=warn,marquee=info
# Every client of a drill comes through the balancer from this machine.
export MARQUEE_WS_MAX_CONNECTIONS_PER_IP=100000
$GATEWAY_ENV
exec $STATE/bin/marquee serve
EOF
    chmod 700 "$STATE/instances/i$n.sh"
}

# A clean environment: a stray MARQUEE_* variable of the caller's would be an unknown
# setting to the instance (e.g. a drill's MARQUEE_CLUSTER_ENV).
start_instance() { start "instance$1" env -i PATH="$PATH" HOME="${HOME:-/}" "$STATE/instances/i$1.sh"; }
