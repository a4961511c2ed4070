#!/usr/bin/env bash
# The store at a year's size (issue 18): seeds a gateway store with 10,000,000 events over 50,000 devices and
# 1,000 agents, keeps it for later runs, and measures the gateway on it from outside (WebSocket and HTTP on 127.0.0.1 only). Back-end neutral: the gateway is
# whatever GATEWAY_CMD starts; only the steps marked "sqlite:" look into the file (query plans, ageing for the sweep).
# Every step is bounded and stops what it started.
#
#   scripts/bench-store.sh seed       seed once (skipped when STORE_DIR/seed/SEEDED exists). The gateway creates
#                                     the schema; then sqlite: a bulk loader (bulk_seed below) writes the rows the
#                                     ingest path would. SEED_VIA=ws sends them through the gateway instead, as 1,000
#                                     real agents over WebSocket, 8 at a time (any back-end; hours on a busy machine)
#   scripts/bench-store.sh measure    RUNS (3) rounds: start-up, replay, since= near the head, /api/events paging,
#                                     /api/devices and snapshot=true (fast and paced); each round a fresh start
#   scripts/bench-store.sh startup    start-up alone, empty store and seeded store alternating, RUNS times each, and
#                                     the seeded store with the AppCDS archive scripts/gateway-cds.sh makes (java only)
#   scripts/bench-store.sh front      RUNS rounds of what a client meets first: start-up, /healthz, /api/devices and
#                                     snapshot=true (first byte/entry, fast and paced); each round a fresh start
#   scripts/bench-store.sh heap       heap after GC with 50,000 devices and 1,000 connected agents
#   scripts/bench-store.sh plans      sqlite: EXPLAIN QUERY PLAN of the gateway's queries, and their times
#   scripts/bench-store.sh sweep      sqlite: a copy with the oldest 1,000,000 events aged past the retention, then
#                                     8 agents at 1,000/s each while the gateway sweeps; file size before/after
#   scripts/bench-store.sh all        seed, measure, heap, plans, sweep (startup and front are in measure)
#
# BACKEND=postgres runs every step against PostgreSQL instead: a private server (the Debian binaries, initdb in
# STORE_DIR/seed-pg/pg, loopback, fsync on; PG_SHARED_BUFFERS, 256MB) that the script starts and stops, seeded by
# the same rows through SQL (bulk_seed_pg), the gateway given --store; plans are EXPLAIN ANALYZE, the sweep runs on a
# copy of the database (CREATE DATABASE ... TEMPLATE).
#
# Settings (environment): STORE_DIR (/tmp/benchlink-store), EVENTS (10000000), DEVICES (50000), AGENTS (1000),
# RUNS (3), EXPIRED (1000000; 0 for the sweep step's idle baseline), SWEEP_RATE (1000 statuses/s per agent),
# SWEEP_SECONDS (240), DELETE_TRIAL (1), GATEWAY_HEAP (-Xmx192m -XX:+UseSerialGC, the systemd unit's), GATEWAY_CMD (run with bash -c; gets
# BENCH_PORT, BENCH_HTTP_PORT, BENCH_DATA_DIR; default: the built jar with GATEWAY_HEAP).
set -euo pipefail
cd "$(dirname "$0")/.."
step="${1:-all}"
STORE_DIR="${STORE_DIR:-/tmp/benchlink-store}"
EVENTS="${EVENTS:-10000000}"
DEVICES="${DEVICES:-50000}"
AGENTS="${AGENTS:-1000}"
RUNS="${RUNS:-3}"
EXPIRED="${EXPIRED:-1000000}"
GATEWAY_HEAP="${GATEWAY_HEAP:--Xmx192m -XX:+UseSerialGC}"
JAR="$PWD/gateway/target/benchlink-gateway.jar"
GATEWAY_CMD_SET="${GATEWAY_CMD:-}"
BACKEND="${BACKEND:-sqlite}"
case "$BACKEND" in sqlite|postgres) ;; *) echo "BACKEND must be sqlite or postgres" >&2; exit 2 ;; esac
STORE_OPT=""
if [ "$BACKEND" = postgres ]; then # the database (BENCH_DB) is chosen per start: the seed, the sweep's copy, empty
    PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    STORE_OPT=" --store \"jdbc:postgresql://127.0.0.1:$PG_PORT/\$BENCH_DB?user=postgres\""
fi
GATEWAY_CMD="${GATEWAY_CMD:-java $GATEWAY_HEAP -jar $JAR --bind 127.0.0.1 --port \"\$BENCH_PORT\" --http-port \"\$BENCH_HTTP_PORT\" --data-dir \"\$BENCH_DATA_DIR\" --allow-anonymous --offline-grace 3600$STORE_OPT}"

if [ ! -f "$JAR" ] || [ ! -f gateway/target/test-classes/io/benchlink/gateway/bench/StoreBench.class ] \
        || [ ! -f gateway/target/bench.classpath ]; then
    # in the reactor (common's jar from its target/), nothing installed into ~/.m2
    ./mvnw -B -q -DskipTests -pl gateway -am package dependency:build-classpath \
        -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
fi
# common/target/classes first: the io.benchlink:common jar in ~/.m2 may come from another checkout
CP="gateway/target/test-classes:gateway/target/classes:common/target/classes:$(cat gateway/target/bench.classpath)"
mkdir -p "$STORE_DIR/logs"

gw_pid=""
pg_up=0
cleanup() {
    set +e
    [ -n "$gw_pid" ] && stop_gateway
    [ "$pg_up" = 1 ] && "${AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
load_note() {
    # whole-machine busy % over 2 s and the load average: how noisy the figures around it are
    local a b
    a=($(head -1 /proc/stat)); sleep 2; b=($(head -1 /proc/stat))
    local idle=$(( (b[4]+b[5]) - (a[4]+a[5]) )) total=0 i
    for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
    echo "# machine: $(( 100 * (total - idle) / total ))% busy over 2 s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
# start_gateway DATA_DIR LOG: starts GATEWAY_CMD; sets gw_pid, WS, HTTP and STARTUP_MS (launch → first TCP accept)
start_gateway() {
    WS=$(free_port); HTTP=$(free_port)
    local t0 t1
    t0=$(date +%s%N)
    BENCH_PORT=$WS BENCH_HTTP_PORT=$HTTP BENCH_DATA_DIR="$1" BENCH_DB="${BENCH_DB:-benchlink}" \
        bash -c "exec $GATEWAY_CMD" >"$2" 2>&1 &
    gw_pid=$!
    for _ in $(seq 1 6000); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$WS") 2>/dev/null; then
            t1=$(date +%s%N); STARTUP_MS=$(( (t1 - t0) / 1000000 ))
            for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$HTTP") 2>/dev/null && return 0; sleep 0.1; done
            echo "HTTP port never opened"; tail -20 "$2"; exit 1
        fi
        kill -0 "$gw_pid" 2>/dev/null || { echo "gateway exited:"; tail -20 "$2"; exit 1; }
        sleep 0.01
    done
    echo "gateway did not listen within 60 s"; tail -20 "$2"; exit 1
}
stop_gateway() {
    kill "$gw_pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$gw_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$gw_pid" 2>/dev/null || true
    wait "$gw_pid" 2>/dev/null || true
    gw_pid=""
}
bench() { java -Xmx1g -cp "$CP" io.benchlink.gateway.bench.StoreBench "$@" || echo "(step $1 failed: exit $?)"; }
metric() { curl -s "http://127.0.0.1:$HTTP/metrics" | awk -v m="$1" '$1 == m { printf "%d\n", $2 }'; }
healthz_events() { curl -s "http://127.0.0.1:$HTTP/healthz" | grep -oE '"events":[0-9]+' | grep -oE '[0-9]+'; }
db_sizes() { # bytes of every file in a data dir, and their sum; postgres: of the database and its tables
    if [ "$BACKEND" = postgres ]; then
        psql_db "${BENCH_DB:-benchlink}" -At -c "SELECT 'total=' || pg_database_size(current_database()) || ' ' ||
            string_agg(relname || '=' || pg_total_relation_size(relid), ' ' ORDER BY relname) FROM pg_stat_user_tables
            WHERE relname IN ('events', 'devices', 'agents', 'idempotency', 'meta')"
        return
    fi
    local total=0 f s out=""
    for f in "$1"/*; do [ -f "$f" ] || continue; s=$(stat -c %s "$f"); total=$((total + s)); out="$out $(basename "$f")=$s"; done
    echo "total=$total$out"
}
heap_used() { # KiB used in all generations (the first "used" alone is the young generation)
    jcmd "$gw_pid" GC.heap_info | grep -E 'generation|space' | grep -E 'generation' | grep -oE 'used [0-9]+K' \
        | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# sqlite: the bulk loader. Rows exactly as the ingest path writes them (same columns, same JSON text and field
# order, agent marks, devices' last states, meta last_seq) into the schema the gateway created, in seq order,
# with the indexes in place (so their pages fill as in production). Agents take turns event by event: agent
# a = (seq-1) % AGENTS sends its k-th status for its device a*D/A + k % (D/A); stored_ms spreads the events evenly
# over the last 29 days (inside the default 30-day retention); 1 in 50 an error, 4 in 50 a fail.
bulk_seed() {
    local each=$((DEVICES / AGENTS)) now_ms step t0
    now_ms=$(( $(date +%s) * 1000 ))
    step=$(( 29 * 86400 * 1000 / EVENTS ))
    t0=$(( now_ms - 29 * 86400 * 1000 ))
    local started=$(date +%s)
    sqlite3 "$1" >/dev/null <<SQL
PRAGMA journal_mode=DELETE;
PRAGMA synchronous=OFF;
PRAGMA cache_size=-1000000;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $EVENTS),
r AS (SELECT i, (i - 1) % $AGENTS AS a, (i - 1) / $AGENTS + 1 AS k, $t0 + (i - 1) * $step AS ms FROM n),
s AS (SELECT i, k, ms, printf('dev-%05d', a * $each + k % $each) AS dev, printf('agent-%04d', a) AS ag,
      CASE WHEN k % 50 = 0 THEN 'error' WHEN k % 50 < 5 THEN 'fail' ELSE 'success' END AS st FROM r)
INSERT INTO events(seq, device_id, status, json, agent_id, agent_seq, stored_ms)
SELECT i, dev, st, printf('{"mac_address":"AA:BB:CC:00:00:01","serial_number":"SN-%s-%d","status":"%s","time_start":"%s","time_end":"%s","updated_at":"%s","result":"bench n=%d U=230.1V I=0.52A","device_id":"%s","seq":%d}',
       ag, k, st, strftime('%Y-%m-%dT%H:%M:%f', (ms - 43000) / 1000.0, 'unixepoch') || '000',
       strftime('%Y-%m-%dT%H:%M:%f', (ms - 1000) / 1000.0, 'unixepoch') || '000',
       strftime('%Y-%m-%dT%H:%M:%f', ms / 1000.0, 'unixepoch') || '000', k, dev, i),
       ag, k, ms FROM s;
INSERT INTO devices(device_id, seq, status, result, json)
SELECT e.device_id, e.seq, e.status, 'bench n=' || e.agent_seq || ' U=230.1V I=0.52A', e.json
FROM (SELECT device_id, MAX(seq) AS seq FROM events GROUP BY device_id) last JOIN events e ON e.seq = last.seq;
INSERT INTO agents(agent_id, last_seq) SELECT agent_id, MAX(agent_seq) FROM events GROUP BY agent_id;
INSERT OR REPLACE INTO meta(key, value) VALUES ('last_seq', (SELECT MAX(seq) FROM events));
INSERT OR REPLACE INTO meta(key, value) VALUES ('event_count', (SELECT COUNT(*) FROM events));
COMMIT;
PRAGMA journal_mode=WAL;
SQL
    echo "seed: bulk-loaded $EVENTS events in $(( $(date +%s) - started )) s"
}

# postgres: the private server. Its data directory is the seed (kept for later runs like the SQLite file); the
# seed step starts it with fsync off for the bulk load, every other start is durable as shipped.
PG_BIN="${BENCHLINK_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
AS=()
psql_db() { local db="$1"; shift; "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" "$@"; }
start_postgres() { # [extra server options]
    [ -x "$PG_BIN/pg_ctl" ] || { echo "PostgreSQL binaries not found (set BENCHLINK_PG_BIN)"; exit 1; }
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        "${AS[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$STORE_DIR/logs/initdb.log" 2>&1 \
            || { echo "initdb failed:"; tail -3 "$STORE_DIR/logs/initdb.log"; exit 1; }
    fi
    "${AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -t 120 -l "$STORE_DIR/logs/postgres.log" \
        -o "-p $PG_PORT -k $PG_SOCKETS -c listen_addresses=127.0.0.1 -c shared_buffers=${PG_SHARED_BUFFERS:-256MB} -c max_wal_size=4GB $*" \
        start >/dev/null || { echo "PostgreSQL did not start:"; tail -5 "$STORE_DIR/logs/postgres.log"; exit 1; }
    pg_up=1
}
stop_postgres() { "${AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null; pg_up=0; }

# postgres: the bulk loader, the same rows as bulk_seed (same JSON text, agents' turns, devices, marks, meta), in seq
# order into the schema the gateway migrated, indexes in place; then VACUUM ANALYZE, as autovacuum would have left
# a table that grew over a month.
bulk_seed_pg() {
    local each=$((DEVICES / AGENTS)) now_ms step t0
    now_ms=$(( $(date +%s) * 1000 ))
    step=$(( 29 * 86400 * 1000 / EVENTS ))
    t0=$(( now_ms - 29 * 86400 * 1000 ))
    local started=$(date +%s)
    psql_db benchlink <<SQL
SET synchronous_commit = off;
SET maintenance_work_mem = '512MB';
BEGIN;
CREATE FUNCTION pg_temp.ts(ms BIGINT) RETURNS TEXT IMMUTABLE LANGUAGE SQL
    AS \$\$ SELECT to_char(timestamp 'epoch' + ms * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.US') \$\$;
INSERT INTO events(seq, device_id, status, json, agent_id, agent_seq, stored_ms)
SELECT i, dev, st, format('{"mac_address":"AA:BB:CC:00:00:01","serial_number":"SN-%s-%s","status":"%s","time_start":"%s","time_end":"%s","updated_at":"%s","result":"bench n=%s U=230.1V I=0.52A","device_id":"%s","seq":%s}',
       ag, k, st, pg_temp.ts(ms - 43000), pg_temp.ts(ms - 1000), pg_temp.ts(ms), k, dev, i), ag, k, ms
FROM (SELECT i, k, ms, format('dev-%s', lpad((a * $each + k % $each)::text, 5, '0')) AS dev,
             format('agent-%s', lpad(a::text, 4, '0')) AS ag,
             CASE WHEN k % 50 = 0 THEN 'error' WHEN k % 50 < 5 THEN 'fail' ELSE 'success' END AS st
      FROM (SELECT i, (i - 1) % $AGENTS AS a, (i - 1) / $AGENTS + 1 AS k, $t0 + (i - 1) * $step AS ms
            FROM generate_series(1::BIGINT, $EVENTS::BIGINT) i) r) s
ORDER BY i;
INSERT INTO devices(device_id, seq, status, result, json)
SELECT DISTINCT ON (device_id) device_id, seq, status, 'bench n=' || agent_seq || ' U=230.1V I=0.52A', json
FROM events ORDER BY device_id, seq DESC;
INSERT INTO agents(agent_id, last_seq) SELECT agent_id, MAX(agent_seq) FROM events GROUP BY agent_id;
INSERT INTO meta(key, value) VALUES ('last_seq', (SELECT MAX(seq) FROM events)), ('event_count', (SELECT COUNT(*) FROM events))
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
COMMIT;
VACUUM ANALYZE;
CHECKPOINT;
SQL
    echo "seed: bulk-loaded $EVENTS events into PostgreSQL in $(( $(date +%s) - started )) s"
}

SEED="$STORE_DIR/seed"
if [ "$BACKEND" = postgres ]; then
    SEED="$STORE_DIR/seed-pg"
    PG_DATA="$SEED/pg"
    PG_SOCKETS="$STORE_DIR/pg-sockets"
    mkdir -p "$PG_SOCKETS" "$SEED"
    if [ "$(id -u)" = 0 ]; then # PostgreSQL refuses to run as root: then as the package's postgres user
        chown postgres "$PG_SOCKETS" "$SEED" "$STORE_DIR/logs"
        AS=(runuser -u postgres --)
    fi
fi
echo "# $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)"

if [ "$step" = seed ] || [ "$step" = all ]; then
    if [ -f "$SEED/SEEDED" ]; then
        echo "seed: reusing $SEED ($(cat "$SEED/SEEDED"))"
    else
        rm -rf "$SEED"; mkdir -p "$SEED/data"
        load_note
        if [ "$BACKEND" = postgres ]; then
            [ "$(id -u)" = 0 ] && chown postgres "$SEED"
            start_postgres -c fsync=off -c full_page_writes=off
            psql_db postgres -c "CREATE DATABASE benchlink"
        fi
        start_gateway "$SEED/data" "$STORE_DIR/logs/seed.log" # the gateway creates its own schema
        if [ "${SEED_VIA:-bulk}" = ws ]; then
            bench seed "$WS" "$EVENTS" "$DEVICES" "$AGENTS" 8 1000
        else
            stop_gateway
            if [ "$BACKEND" = postgres ]; then
                bulk_seed_pg
                stop_postgres; start_postgres # durable again
            else
                bulk_seed "$SEED/data/benchlink.db"
            fi
            start_gateway "$SEED/data" "$STORE_DIR/logs/seed.log"
        fi
        events=$(healthz_events)
        stop_gateway
        echo "events=$events devices=$DEVICES agents=$AGENTS seeded=$(date -u +%FT%TZ) $(db_sizes "$SEED/data")" >"$SEED/SEEDED"
        echo "seed: $(cat "$SEED/SEEDED")"
    fi
fi
[ -f "$SEED/SEEDED" ] || { echo "no seeded store in $SEED: run 'scripts/bench-store.sh seed' first"; exit 1; }
if [ "$BACKEND" = postgres ] && [ "$pg_up" = 0 ]; then start_postgres; fi

if [ "$step" = measure ] || [ "$step" = all ]; then
    out="$STORE_DIR/logs/measure-$(date -u +%H%M%S).txt"
    echo "# store: $(db_sizes "$SEED/data")" | tee "$out"
    load_note | tee -a "$out"
    for run in $(seq 1 "$RUNS"); do
        echo "## run $run" | tee -a "$out"
        start_gateway "$SEED/data" "$STORE_DIR/logs/measure-$run.log"
        echo "startup: ${STARTUP_MS} ms to the first accepted connection" | tee -a "$out"
        t0=$(date +%s%N); events=$(healthz_events); t1=$(date +%s%N)
        echo "healthz: $events events in $(( (t1 - t0) / 1000000 )) ms" | tee -a "$out"
        bench replay "$WS" "$events" "${REPLAY_SECONDS:-60}" | tee -a "$out"
        for _ in 1 2 3; do bench head "$WS" "$HTTP" | tee -a "$out"; done
        bench page "$HTTP" "${PAGE_SECONDS:-90}" | tee -a "$out"
        bench devices "$HTTP" 0 | tee -a "$out"
        bench devices "$HTTP" 0 "/api/devices?limit=1000" | tee -a "$out"
        bench snapshot "$WS" "$DEVICES" 0 | tee -a "$out"
        bench devices "$HTTP" 2048 | tee -a "$out"
        bench snapshot "$WS" "$DEVICES" 5000 | tee -a "$out"
        echo "gateway VmHWM: $(grep VmHWM /proc/$gw_pid/status | awk '{print $2, $3}')" | tee -a "$out"
        { grep -ciE 'exception|OutOfMemory' "$STORE_DIR/logs/measure-$run.log" || true; } | sed 's/^/gateway log lines with exceptions: /' | tee -a "$out"
        stop_gateway
    done
    load_note | tee -a "$out"
    echo "## medians of $RUNS"
    set +e +o pipefail
    grep -oE '^startup: [0-9]+' "$out" | grep -oE '[0-9]+' | median | sed 's/^/startup ms: /'
    grep -oE '^replay.*: [0-9]+ events/s' "$out" | grep -oE '[0-9]+ events/s' | grep -oE '[0-9]+' | median | sed 's/^/replay events\/s: /'
    grep -oE 'first event [0-9.]+ ms' "$out" | grep -oE '[0-9.]+' | median | sed 's/^/since= near head, first event ms: /'
    grep -oE '^page.*: [0-9]+ events/s' "$out" | grep -oE '[0-9]+ events/s' | grep -oE '[0-9]+' | median | sed 's/^/paging events\/s: /'
    grep -E '^devices: ' "$out" | grep -oE 'first byte [0-9.]+' | grep -oE '[0-9.]+' | median | sed 's/^/devices first byte ms: /'
    grep -E '^snapshot: ' "$out" | grep -oE 'first [0-9.]+' | grep -oE '[0-9.]+' | median | sed 's/^/snapshot first entry ms: /'
    echo "(all lines: $out)"
    set -e -o pipefail
fi

if [ "$step" = startup ]; then # start-up alone: an empty store against the seeded one, alternating
    load_note
    # CPU (user + system, all threads) the gateway used until the first accepted connection: what a busy machine's
    # other sessions stretch into wall time
    cpu_ms() { awk '{ print ($14 + $15) * 1000 / '"$(getconf CLK_TCK)"' }' "/proc/$gw_pid/stat"; }
    jsa="$STORE_DIR/gateway.jsa"
    cds=""
    if [ -z "${GATEWAY_CMD_SET:-}" ]; then # AppCDS: the archive the service uses, made as install.sh makes it
        rm -f "$jsa" "$jsa.stamp"
        JAVA_OPTS="$GATEWAY_HEAP" scripts/gateway-cds.sh "$JAR" "$jsa"
        [ -f "$jsa" ] && cds="java $GATEWAY_HEAP -XX:SharedArchiveFile=$jsa -Xshare:auto -jar $JAR --bind 127.0.0.1 --port \"\$BENCH_PORT\" --http-port \"\$BENCH_HTTP_PORT\" --data-dir \"\$BENCH_DATA_DIR\" --allow-anonymous --offline-grace 3600$STORE_OPT"
    fi
    out="$STORE_DIR/logs/startup-$(date -u +%H%M%S).txt"
    for run in $(seq 1 "$RUNS"); do
        rm -rf "$STORE_DIR/empty"; mkdir -p "$STORE_DIR/empty"
        [ "$BACKEND" = postgres ] && psql_db postgres -c "DROP DATABASE IF EXISTS empty" -c "CREATE DATABASE empty"
        BENCH_DB=empty start_gateway "$STORE_DIR/empty" "$STORE_DIR/logs/startup-empty.log"
        echo "startup empty store: ${STARTUP_MS} ms, cpu $(cpu_ms) ms" | tee -a "$out"; stop_gateway
        start_gateway "$SEED/data" "$STORE_DIR/logs/startup-seeded.log"
        echo "startup seeded store: ${STARTUP_MS} ms, cpu $(cpu_ms) ms" | tee -a "$out"; stop_gateway
        if [ -n "$cds" ]; then
            saved="$GATEWAY_CMD"; GATEWAY_CMD="$cds"
            start_gateway "$SEED/data" "$STORE_DIR/logs/startup-cds.log"
            echo "startup seeded store with AppCDS: ${STARTUP_MS} ms, cpu $(cpu_ms) ms" | tee -a "$out"; stop_gateway
            GATEWAY_CMD="$saved"
        fi
    done
    load_note
    set +e +o pipefail
    for what in "empty store" "seeded store" "seeded store with AppCDS"; do
        w=$(grep -E "^startup $what: " "$out" | grep -oE ': [0-9]+ ms' | grep -oE '[0-9]+' | median)
        c=$(grep -E "^startup $what: " "$out" | grep -oE 'cpu [0-9]+' | grep -oE '[0-9]+' | median)
        [ -n "$w" ] && echo "median startup $what: $w ms wall, $c ms cpu"
    done
    set -e -o pipefail
fi

if [ "$step" = front ]; then # what a client meets first, without the long replay and paging runs of measure
    out="$STORE_DIR/logs/front-$(date -u +%H%M%S).txt"
    load_note | tee "$out"
    for run in $(seq 1 "$RUNS"); do
        echo "## run $run" | tee -a "$out"
        start_gateway "$SEED/data" "$STORE_DIR/logs/front-$run.log"
        echo "startup: ${STARTUP_MS} ms to the first accepted connection" | tee -a "$out"
        for _ in 1 2 3; do
            t0=$(date +%s%N); events=$(healthz_events); t1=$(date +%s%N)
            echo "healthz: $events events in $(( (t1 - t0) / 1000000 )) ms" | tee -a "$out"
        done
        bench devices "$HTTP" 0 | tee -a "$out"
        bench snapshot "$WS" "$DEVICES" 0 | tee -a "$out"
        bench devices "$HTTP" 2048 | tee -a "$out"
        bench snapshot "$WS" "$DEVICES" 5000 | tee -a "$out"
        echo "gateway VmHWM: $(grep VmHWM /proc/$gw_pid/status | awk '{print $2, $3}')" | tee -a "$out"
        { grep -ciE 'exception|OutOfMemory' "$STORE_DIR/logs/front-$run.log" || true; } | sed 's/^/gateway log lines with exceptions: /' | tee -a "$out"
        stop_gateway
    done
    load_note | tee -a "$out"
    echo "## medians of $RUNS"
    set +e +o pipefail
    grep -oE '^startup: [0-9]+' "$out" | grep -oE '[0-9]+' | median | sed 's/^/startup ms: /'
    grep -oE '^healthz: .* in [0-9]+ ms' "$out" | grep -oE '[0-9]+ ms' | grep -oE '[0-9]+' | median | sed 's/^/healthz ms: /'
    grep -E '^devices: ' "$out" | grep -oE 'first byte [0-9.]+' | grep -oE '[0-9.]+' | median | sed 's/^/devices first byte ms (fast reader): /'
    grep -E '^devices at' "$out" | grep -oE 'first byte [0-9.]+' | grep -oE '[0-9.]+' | median | sed 's/^/devices first byte ms (paced reader): /'
    grep -E '^snapshot: ' "$out" | grep -oE 'first [0-9.]+' | grep -oE '[0-9.]+' | median | sed 's/^/snapshot first entry ms (fast reader): /'
    echo "(all lines: $out)"
    set -e -o pipefail
fi

if [ "$step" = heap ] || [ "$step" = all ]; then
    load_note
    start_gateway "$SEED/data" "$STORE_DIR/logs/heap.log"
    jcmd "$gw_pid" GC.run >/dev/null
    base=$(heap_used)
    bench agents "$WS" "$AGENTS" "$DEVICES" 40 >"$STORE_DIR/logs/heap-agents.out" 2>&1 &
    agents_pid=$!
    for _ in $(seq 1 600); do grep -q READY "$STORE_DIR/logs/heap-agents.out" 2>/dev/null && break; sleep 0.2; done
    head -1 "$STORE_DIR/logs/heap-agents.out"
    bench snapshot "$WS" "$DEVICES" 0
    bench devices "$HTTP" 0
    jcmd "$gw_pid" GC.run >/dev/null
    used=$(heap_used)
    echo "heap: ${base}K used after GC at start, ${used}K with $AGENTS agents connected (after a snapshot and"\
         "/api/devices); gateway VmHWM $(grep VmHWM /proc/$gw_pid/status | awk '{print $2, $3}'); heap setting: $GATEWAY_HEAP"
    wait "$agents_pid" || true
    { grep -ciE 'OutOfMemory' "$STORE_DIR/logs/heap.log" || true; } | sed 's/^/OutOfMemoryError lines in the gateway log: /'
    stop_gateway
fi

plan_queries() {
    cat <<'SQL'
SELECT seq, device_id, status, json FROM events WHERE seq > 9999000 ORDER BY seq LIMIT 10000;
SELECT seq, device_id, status, json FROM events WHERE device_id = 'dev-00042' AND seq > 0 ORDER BY seq LIMIT 500;
SELECT seq, device_id, status, json FROM devices ORDER BY device_id;
SELECT COALESCE(MIN(seq), 0) FROM events;
SELECT COUNT(*) FROM events;
SELECT device_id, status, stored_ms / 60000 AS minute, COUNT(*) FROM events WHERE stored_ms >= ?1 AND seq <= ?2 AND status IN ('success', 'fail', 'error') GROUP BY device_id, status, minute;
SELECT device_id, status, stored_ms / 60000 AS minute, COUNT(*) FROM events WHERE stored_ms >= ?1 AND +seq <= ?2 AND status IN ('success', 'fail', 'error') GROUP BY device_id, status, minute;
DELETE FROM events WHERE stored_ms < 0;
SQL
}
plan_queries_pg() { # the PostgreSQL store's queries, parameters as the gateway binds them ($1 midnight, $2 last seq)
    cat <<SQL
SELECT seq, device_id, status, json FROM events WHERE seq > $(( $2 - 1000 )) ORDER BY seq LIMIT 10000;
SELECT seq, device_id, status, json FROM events WHERE device_id = 'dev-00042' AND seq > 0 ORDER BY seq LIMIT 500;
SELECT seq, device_id, status, json FROM devices WHERE device_id > 'dev-25000' ORDER BY device_id LIMIT 1000;
SELECT seq, device_id, status, json FROM devices WHERE seq > $(( $2 - 100000 )) AND seq <= $2 ORDER BY seq LIMIT 500;
SELECT seq, device_id, status FROM devices ORDER BY device_id;
SELECT COALESCE(MIN(seq), 0) FROM events;
SELECT value FROM meta WHERE key = 'event_count';
SELECT device_id, status, stored_ms / 60000 AS minute, COUNT(*) FROM events WHERE stored_ms >= $1 AND seq <= $2 AND status IN ('success', 'fail', 'error') GROUP BY device_id, status, minute;
SELECT seq FROM events WHERE stored_ms < 0 ORDER BY stored_ms LIMIT 500;
SQL
}
if [ "$BACKEND" = postgres ] && { [ "$step" = plans ] || [ "$step" = all ]; }; then
    load_note
    midnight=$(( $(date -d 'today 00:00' +%s) * 1000 ))
    last=$(psql_db benchlink -At -c "SELECT MAX(seq) FROM events") # the events' seqs (meta's last_seq is the clock floor)
    plan_queries_pg "$midnight" "$last" | while IFS= read -r q; do
        echo "-- $q"
        psql_db benchlink -At -c "EXPLAIN (ANALYZE, BUFFERS) $q" | grep -E 'Scan|Sort|Limit|Aggregate|Execution Time|Buffers' \
            | grep -vE '^\s*Buffers: shared hit=[0-9]+$' | sed 's/^/   /' | head -12
    done
fi
if [ "$BACKEND" = sqlite ] && { [ "$step" = plans ] || [ "$step" = all ]; }; then
    db="$SEED/data/benchlink.db"
    if [ ! -f "$db" ]; then
        echo "plans: not a SQLite store, skipped"
    else
        load_note
        plan_queries | while IFS= read -r q; do
            echo "-- $q"
            sqlite3 -readonly "$db" "EXPLAIN QUERY PLAN $q" | sed 's/^/   /'
            case "$q" in DELETE*) continue ;; esac
            # the parameters as the gateway binds them: the dashboard's window from midnight, the latest seq
            midnight=$(( $(date -d 'today 00:00' +%s) * 1000 ))
            /usr/bin/time -f '   %e s wall' sqlite3 -readonly -cmd ".parameter set ?1 $midnight" \
                -cmd ".parameter set ?2 $(sqlite3 -readonly "$db" "SELECT value FROM meta WHERE key = 'last_seq'")" \
                "$db" "$q" 2>&1 >/dev/null | tail -1
        done
    fi
fi

writer_batches() { # the writer's batches (inserts, sweep chunk, commit) over 50 ms, from its own histogram
    curl -s "http://127.0.0.1:$HTTP/metrics" | awk '
        /^benchlink_store_commit_seconds_bucket/ { match($0, /le="[^"]*"/); le = substr($0, RSTART + 4, RLENGTH - 5); n[le] = $2 }
        /^benchlink_store_commit_seconds_count/ { total = $2 }
        END { over = total - n["0.05"]; printf "sweep: writer batches %d, over 50 ms %d (%.3f%%), over 100 ms %d\n", total, over, 100 * over / (total ? total : 1), total - n["0.1"] }'
}
if [ "$BACKEND" = postgres ] && { [ "$step" = sweep ] || [ "$step" = all ]; }; then
    # postgres: the same run on a copy of the seeded database; ageing is an UPDATE, then VACUUM as autovacuum would
    export BENCH_DB=sweep
    psql_db postgres -c "DROP DATABASE IF EXISTS sweep" -c "CREATE DATABASE sweep TEMPLATE benchlink"
    first=$(psql_db sweep -At -c "SELECT MIN(seq) FROM events")
    old=$(( ($(date +%s) - 31 * 86400) * 1000 ))
    if [ "$EXPIRED" -gt 0 ]; then
        upto=$(psql_db sweep -At -c "SELECT seq FROM events WHERE seq >= $first ORDER BY seq OFFSET $((EXPIRED - 1)) LIMIT 1")
        psql_db sweep -c "UPDATE events SET stored_ms = $old WHERE seq <= $upto" -c "VACUUM ANALYZE events" -c "CHECKPOINT"
    else
        upto=$((first - 1))
    fi
    echo "sweep: aged seq $first..$upto ($EXPIRED events) to 31 days old"
    echo "sweep: before: $(db_sizes)"
    cutoff=$(( old + 1 ))
    if [ "$EXPIRED" -gt 0 ]; then
        for what in "events WHERE seq IN (SELECT seq FROM events WHERE stored_ms < $cutoff ORDER BY stored_ms LIMIT 500)"; do
            for _ in 1 2 3; do
                t0=$(date +%s%N)
                psql_db sweep -c "BEGIN" -c "DELETE FROM $what" -c "ROLLBACK" >/dev/null
                echo "sweep: DELETE FROM ${what:0:60}... and its rollback: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
            done
        done
    fi
    t0=$(date +%s%N); sync; echo "sweep: sync before the run: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
    load_note
    start_gateway "$SEED/data" "$STORE_DIR/logs/sweep.log"
    bench sweep "$WS" "$HTTP" 8 "${SWEEP_RATE:-1000}" "${SWEEP_SECONDS:-240}" "$upto"
    writer_batches
    echo "sweep: with the gateway running: $(db_sizes)"
    grep -E 'retention' "$STORE_DIR/logs/sweep.log" | tail -3 || true
    stop_gateway
    echo "sweep: after: $(db_sizes), $(psql_db sweep -At -c "SELECT 'events ' || COUNT(*) FROM events"),"\
         "$(psql_db sweep -At -c "SELECT 'live/dead tuples ' || n_live_tup || '/' || n_dead_tup || ', autovacuums ' || autovacuum_count FROM pg_stat_user_tables WHERE relname = 'events'")"
    load_note
fi
if [ "$BACKEND" = sqlite ] && { [ "$step" = sweep ] || [ "$step" = all ]; }; then
    db="$SEED/data/benchlink.db"
    if [ ! -f "$db" ]; then
        echo "sweep: not a SQLite store, skipped (ageing needs the file)"; exit 0
    fi
    SW="$STORE_DIR/sweep"
    rm -rf "$SW"; mkdir -p "$SW"
    cp -r "$SEED/data" "$SW/data"
    # sqlite: age the oldest EXPIRED events to 31 days before now (retention 30 days): the next sweep deletes them.
    # EXPIRED=0: nothing to delete, the same load on the same copy: the idle baseline the sweep is compared with.
    first=$(sqlite3 "$SW/data/benchlink.db" "SELECT MIN(seq) FROM events")
    old=$(( ($(date +%s) - 31 * 86400) * 1000 ))
    if [ "$EXPIRED" -gt 0 ]; then
        upto=$(sqlite3 "$SW/data/benchlink.db" "SELECT seq FROM events WHERE seq >= $first ORDER BY seq LIMIT 1 OFFSET $((EXPIRED - 1))")
        sqlite3 "$SW/data/benchlink.db" "UPDATE events SET stored_ms = $old WHERE seq <= $upto; PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    else
        upto=$((first - 1))
    fi
    echo "sweep: aged seq $first..$upto ($EXPIRED events) to 31 days old"
    echo "sweep: files before: $(db_sizes "$SW/data"), freelist pages $(sqlite3 "$SW/data/benchlink.db" 'PRAGMA freelist_count')"
    # sqlite: what one statement and one chunk cost the writer (each inside a transaction that is rolled back)
    cutoff=$(( old + 1 ))
    trials=()
    # DELETE_TRIAL=0: skip the one-statement delete (about a minute here)
    [ "${DELETE_TRIAL:-1}" = 1 ] && trials+=("events WHERE stored_ms < $cutoff")
    trials+=("events WHERE seq IN (SELECT seq FROM events WHERE stored_ms < $cutoff ORDER BY stored_ms LIMIT 500)")
    [ "$EXPIRED" -gt 0 ] || trials=()
    for what in "${trials[@]}"; do
        for _ in 1 2 3; do
            t0=$(date +%s%N)
            sqlite3 "$SW/data/benchlink.db" "BEGIN; DELETE FROM $what; ROLLBACK;" >/dev/null
            echo "sweep: DELETE FROM ${what:0:60}... and its rollback: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
            case "$what" in *LIMIT*) ;; *) break ;; esac
        done
    done
    # the copy and the ageing leave gigabytes of dirty pages in the page cache: written back during the run, they
    # made the gateway's fsyncs wait for seconds (an idle baseline's ack p99 of 1.1 s), so write them out first
    t0=$(date +%s%N); sync; echo "sweep: sync before the run: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
    load_note
    start_gateway "$SW/data" "$STORE_DIR/logs/sweep.log"
    bench sweep "$WS" "$HTTP" 8 "${SWEEP_RATE:-1000}" "${SWEEP_SECONDS:-240}" "$upto"
    writer_batches
    echo "sweep: files with the gateway running: $(db_sizes "$SW/data")"
    grep -E 'retention' "$STORE_DIR/logs/sweep.log" | tail -3 || true
    stop_gateway
    echo "sweep: files after: $(db_sizes "$SW/data"), freelist pages $(sqlite3 "$SW/data/benchlink.db" 'PRAGMA freelist_count'),"\
         "page size $(sqlite3 "$SW/data/benchlink.db" 'PRAGMA page_size'), events $(sqlite3 "$SW/data/benchlink.db" 'SELECT COUNT(*) FROM events')"
    load_note
fi
