#!/usr/bin/env bash
# Cluster throughput (issue 15, docs/PERFORMANCE.md "Cluster on PostgreSQL"): durable acked ingest from 8 agents
# spread over 2 gateways on one PostgreSQL (fsync on, synchronous_commit on), cross-gateway delivery latency, and
# the same load on one gateway with the embedded SQLite store for the per-status cost ratio. Loopback only; starts
# and stops everything itself; about 6 minutes with the defaults. Rounds alternate between the two stores (both
# set up at once) so each pair of rounds ran under about the same load from the rest of the machine.
#
#   scripts/bench-cluster.sh              both stores
#   scripts/bench-cluster.sh postgres     only the cluster
#   scripts/bench-cluster.sh sqlite       only the SQLite gateway
#
# Environment: BENCH_SECONDS (length of each timed round, default 15), BENCH_ROUNDS (default 3), BENCH_WARMUP
# (seconds of the uncounted warm-up before each round, default 10), BENCH_AGENTS (default 8), BENCH_WINDOW
# (unacknowledged statuses per agent, default 500), BENCH_PACED_RATE (statuses/s of the last, paced round; default
# 1000), GATEWAY_HEAP (default -Xmx512m), GATEWAY_OPTS (more JVM options, e.g. JFR), BENCHLINK_PG_BIN (initdb/pg_ctl
# directory), KEEP_BENCH_LOG=1 (keep the logs directory), BENCH_PG_STATEMENTS=1 (load pg_stat_statements and print
# where the database's time went, per statement: calls, rows per call, mean and total ms; it costs some CPU itself).
set -uo pipefail
cd "$(dirname "$0")/.."
which="${1:-all}"
case "$which" in all|postgres|sqlite) ;; *) echo "usage: $0 [all|postgres|sqlite]" >&2; exit 2 ;; esac
SECONDS_PER_ROUND="${BENCH_SECONDS:-15}"
ROUNDS="${BENCH_ROUNDS:-3}"
AGENTS="${BENCH_AGENTS:-8}"
WINDOW="${BENCH_WINDOW:-500}"
PACED="${BENCH_PACED_RATE:-1000}"
HEAP="${GATEWAY_HEAP:--Xmx512m}"
JAR=gateway/target/benchlink-gateway.jar

die() { echo "bench-cluster: $*" >&2; exit 1; }
if [ ! -f "$JAR" ] || [ ! -f gateway/target/test-classes/io/benchlink/gateway/bench/ClusterLoad.class ]; then
    ./mvnw -B -q -pl gateway -am package -DskipTests >/dev/null || die "build failed"
fi
# The shaded jar holds the gateway, common and Java-WebSocket: all the load tool needs besides its own classes.
CP="gateway/target/test-classes:$JAR"
PG_BIN="${BENCHLINK_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
[ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL binaries not found (set BENCHLINK_PG_BIN)"

work=$(mktemp -d "${TMPDIR:-/tmp}/benchlink-bench-cluster.XXXXXX")
AS=()
if [ "$(id -u)" = 0 ]; then # PostgreSQL refuses to run as root: then as the package's postgres user
    chown postgres "$work"
    AS=(runuser -u postgres --)
fi
pids=()
pg_up=0
cleanup() {
    set +e
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
    [ "$pg_up" = 1 ] && "${AS[@]}" "$PG_BIN/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1
    if [ -n "${KEEP_BENCH_LOG:-}" ]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
    local p
    for _ in $(seq 1 50); do
        p=$((20000 + RANDOM % 40000))
        port_busy "$p" || { echo "$p"; return 0; }
    done
    die "no free port found"
}

start_postgres() {
    local port extra=""
    port=$(free_port)
    [ -n "${BENCH_PG_STATEMENTS:-}" ] && extra="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_utility=on"
    "${AS[@]}" "$PG_BIN/initdb" -D "$work/pg" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync \
        >"$work/initdb.log" 2>&1 || die "initdb failed: $(tail -3 "$work/initdb.log")"
    # Durability as shipped: fsync and synchronous_commit stay on (the defaults, named to be explicit).
    "${AS[@]}" "$PG_BIN/pg_ctl" -D "$work/pg" -w -t 60 -l "$work/postgres.log" \
        -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=200 $extra" \
        start >/dev/null 2>&1 || die "PostgreSQL did not start: $(tail -3 "$work/postgres.log")"
    pg_up=1
    pg_pid=$(head -1 "$work/pg/postmaster.pid")
    psql=("$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres)
    [ -n "${BENCH_PG_STATEMENTS:-}" ] && "${psql[@]}" -c "CREATE EXTENSION pg_stat_statements"
    STORE="jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres"
}

# start_gateway NAME [--store URL]: sets gw_port and gw_pid
start_gateway() {
    local name="$1"; shift
    java $HEAP ${GATEWAY_OPTS:-} -jar "$JAR" --bind 127.0.0.1 --port 0 --http-port 0 --data-dir "$work/data-$name" \
        --subscriber-buffer 1000000 "$@" >"$work/gateway-$name.log" 2>&1 &
    gw_pid=$!
    pids+=("$gw_pid")
    gw_port=""
    for _ in $(seq 1 300); do
        gw_http=$(grep -oE 'dashboard on http://[^:]+:[0-9]+' "$work/gateway-$name.log" 2>/dev/null | grep -oE '[0-9]+$' | head -1)
        gw_port=$(grep -oE 'listening on ws://[^:]+:[0-9]+' "$work/gateway-$name.log" 2>/dev/null | grep -oE '[0-9]+$' | head -1)
        [ -n "$gw_port" ] && return 0
        kill -0 "$gw_pid" 2>/dev/null || break
        sleep 0.2
    done
    die "gateway $name did not start: $(tail -5 "$work/gateway-$name.log")"
}
stop_all_gateways() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
    pids=()
}
# batches HTTP_PORT NAME: the writer's batches since the start (metrics): how many, their mean time, statuses each
batches() {
    curl -fsS "http://127.0.0.1:$1/metrics" 2>/dev/null | awk -v name="$2" '
        /^benchlink_store_commit_seconds_count/ { n = $2 } /^benchlink_store_commit_seconds_sum/ { t = $2 }
        /^benchlink_statuses_received/ { r += $NF }
        END { if (n > 0) printf "## writer of gateway %s: %d batches, mean %.1f ms each (lock, reads, writes, commit),"\
              " %.0f statuses received per batch, writer busy %.1f s\n", name, n, 1000 * t / n, r / n, t }'
}
# thread_cpu PID NAME: the process's busiest threads since it started (CPU seconds; names cut at 15 characters)
thread_cpu() {
    local tick
    tick=$(getconf CLK_TCK)
    echo "## busiest threads of gateway $2 (CPU s since its start, warm-up and JIT included)"
    for t in /proc/"$1"/task/*; do
        # comm may hold spaces: the fields after the last ')' are fixed (utime, stime are 12th and 13th there)
        awk -v tick="$tick" -v name="$(cat "$t/comm")" '{ sub(/.*\) /, ""); printf "%8.2f  %s\n", ($12 + $13) / tick, name }' "$t/stat"
    done | sort -rn | head -8
}
load() { timeout 600 java -Xmx1g -Dbench.warmup="${BENCH_WARMUP:-10}" -cp "$CP" io.benchlink.gateway.bench.LoadTool cluster "$@"; }

# pair_round STORE ROUNDS PACED: one invocation of the load tool on STORE (postgres or sqlite); its RESULT lines
# are kept, tagged with the store, for the summary
pair_round() {
    local urls pids=""
    if [ "$1" = postgres ]; then
        urls="ws://127.0.0.1:$a_port,ws://127.0.0.1:$b_port"
        set -- "$@" "$a_pid,$b_pid" "$pg_pid"
    else
        # Its URL twice: two subscribers on the one gateway, so it delivers as much as the two gateways do.
        urls="ws://127.0.0.1:$s_port,ws://127.0.0.1:$s_port"
        set -- "$@" "$s_pid"
    fi
    local store="$1"; shift
    load "$urls" "$AGENTS" "$SECONDS_PER_ROUND" "$WINDOW" "$@" >"$work/load.out"
    grep -v '^RESULT ' "$work/load.out"
    sed -n "s/^RESULT /$store /p" "$work/load.out" >>"$work/results"
}
# median STORE KIND FIELD: the median of one figure over the store's rounds (fields as ClusterLoad.Round.figures)
median() {
    awk -v s="$1" -v k="$2" -v f="$3" '$1 == s && $2 == k { print $(f + 2) }' "$work/results" | sort -g \
        | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "n/a" }'
}

echo "# machine: $(nproc) cores, $(java -version 2>&1 | head -1), $("$PG_BIN/postgres" --version), $(date -u +%FT%TZ)"
echo "# load before: $(uptime)"
stores=()
if [ "$which" = all ] || [ "$which" = postgres ]; then
    start_postgres
    start_gateway a --store "$STORE"; a_port=$gw_port; a_pid=$gw_pid; a_http=$gw_http # A migrates the schema first
    start_gateway b --store "$STORE"; b_port=$gw_port; b_pid=$gw_pid; b_http=$gw_http
    stores+=(postgres)
fi
if [ "$which" = all ] || [ "$which" = sqlite ]; then
    start_gateway s; s_port=$gw_port; s_pid=$gw_pid; s_http=$gw_http
    stores+=(sqlite)
fi
echo "# PostgreSQL: fsync=on, synchronous_commit=on, 2 gateways, $AGENTS agents alternating A/B, a subscriber on each"
echo "# SQLite: 1 gateway (synchronous=FULL), $AGENTS agents, 2 subscribers"
# Rounds alternate between the stores, so each pair ran under about the same load from the rest of the machine.
: >"$work/results"
for r in $(seq 1 "$ROUNDS"); do
    for store in "${stores[@]}"; do
        echo "## $store, round $r of $ROUNDS ($(uptime | sed 's/.*load/load/'))"
        pair_round "$store" 1 0
    done
done
if [ "$PACED" -gt 0 ]; then
    for store in "${stores[@]}"; do
        echo "## $store, paced $PACED statuses/s ($(uptime | sed 's/.*load/load/'))"
        pair_round "$store" 0 "$PACED"
    done
fi
if [ -n "${BENCH_PG_STATEMENTS:-}" ] && [ -n "${a_pid:-}" ]; then
    echo "## where the database's time went (all rounds, both gateways; mean and total include lock waits)"
    "${psql[@]}" -P pager=off -c "SELECT calls, round(rows::numeric / calls, 1) AS rows_per_call,
        round(mean_exec_time::numeric, 3) AS mean_ms, round(total_exec_time::numeric) AS total_ms,
        left(regexp_replace(query, '\s+', ' ', 'g'), 70) AS statement
        FROM pg_stat_statements WHERE calls > 20 ORDER BY total_exec_time DESC LIMIT 15"
fi
[ -n "${a_pid:-}" ] && { batches "$a_http" A; batches "$b_http" B; thread_cpu "$a_pid" A; thread_cpu "$b_pid" B; }
[ -n "${s_pid:-}" ] && { batches "$s_http" S; thread_cpu "$s_pid" S; }

echo "# summary: medians over $ROUNDS rounds of $SECONDS_PER_ROUND s (ms; CPU in us per acknowledged status)"
for store in "${stores[@]}"; do
    printf '%-9s statuses/s %s  ack p50 %s p99 %s  delivery cross p50 %s p99 %s, same p50 %s p99 %s  CPU gateways %s db %s\n' \
        "$store" "$(median "$store" max 1)" "$(median "$store" max 2)" "$(median "$store" max 3)" \
        "$(median "$store" max 4)" "$(median "$store" max 5)" "$(median "$store" max 6)" "$(median "$store" max 7)" \
        "$(median "$store" max 8)" "$(median "$store" max 9)"
done
if [ "$PACED" -gt 0 ]; then
    for store in "${stores[@]}"; do
        printf '%-9s paced %s/s: ack p50 %s p99 %s  delivery cross p50 %s p99 %s, same p50 %s p99 %s\n' "$store" "$PACED" \
            "$(median "$store" paced 2)" "$(median "$store" paced 3)" "$(median "$store" paced 4)" \
            "$(median "$store" paced 5)" "$(median "$store" paced 6)" "$(median "$store" paced 7)"
    done
fi
if [ "${#stores[@]}" = 2 ]; then
    # Per pair (round r of each store): PostgreSQL's CPU per status (gateways + database) over SQLite's, and the
    # throughput ratio; then the median of each.
    awk '$2 == "max" { if ($1 == "postgres") { p[++np] = $3; pc[np] = $10 + $11 } else { s[++ns] = $3; sc[ns] = $10 } }
        END { for (i = 1; i <= np && i <= ns; i++) printf "pair %d: statuses/s postgres/sqlite %.2f, CPU per status postgres/sqlite %.2f\n", i, p[i] / s[i], pc[i] / sc[i] }' \
        "$work/results" | tee "$work/pairs"
    for f in 5 10; do
        awk -v f="$f" '{ print $f }' "$work/pairs" | tr -d ',' | sort -g \
            | awk -v f="$f" '{ v[NR] = $1 } END { printf "median pair ratio, %s: %s\n", (f == 5 ? "statuses/s" : "CPU per status"), v[int((NR + 1) / 2)] }'
    done
fi
echo "# load after: $(uptime)"
