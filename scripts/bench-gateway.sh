#!/usr/bin/env bash
# The gateway's own benchmark (issue "Gateway core"): starts the built gateway jar on loopback with a fresh
# store, runs the project's load tool against it, and prints the figures. Bounded: about 2 minutes in all.
#   scripts/bench-gateway.sh            all three scenarios
#   scripts/bench-gateway.sh fanout     (a) 100 subscribers on /all, 100 devices, 1,000 statuses/s for 20 s
#   scripts/bench-gateway.sh ingest     (b) acknowledged statuses/s with durable commits (1 and 8 agents)
#   scripts/bench-gateway.sh idle       (c) gateway heap after 10,000 idle subscribers
#   scripts/bench-gateway.sh peers S [compare.sh options]
#                                       scenario S (a, b, c, d) of the peer comparison (docs/PERFORMANCE.md §1):
#                                       runs compare.sh of the measuring kit in $BENCH_KIT (kept outside this
#                                       repository) against mosquitto-ws and this build, 3 runs; add --pin for pinned
# GATEWAY_HEAP replaces the gateway's JVM heap flags: by default -Xmx512m, and for peers the settings the systemd
# unit ships (scripts/systemd/benchlink-gateway.service), as the issue's latency targets ask.
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-all}"
HEAP="${GATEWAY_HEAP:--Xmx512m}"

if [ "$which" = peers ]; then
    scenario="${2:?usage: scripts/bench-gateway.sh peers a|b|c|d [compare.sh options]}"; shift 2
    [ -x "${BENCH_KIT:-}/compare.sh" ] || { echo "BENCH_KIT must name the measuring kit's directory (with compare.sh)"; exit 2; }
    [ -f gateway/target/benchlink-gateway.jar ] || ./mvnw -B -q -o -pl gateway -am package -DskipTests
    jar="$(pwd)/gateway/target/benchlink-gateway.jar"
    heap="${GATEWAY_HEAP:--Xmx192m -XX:+UseSerialGC}"
    # The kit's own default results directory is inside the kit (often read-only); results go to BENCH_OUT.
    out="${BENCH_OUT:-/tmp/benchlink-peers/$(date +%Y%m%d-%H%M%S)-$scenario}"
    cd "$BENCH_KIT"
    exec ./compare.sh --scenario "$scenario" --runs 3 --targets "${TARGETS:-mosquitto-ws,benchlink}" --out "$out" "$@" \
        --benchlink-cmd "java $heap -jar $jar --bind 127.0.0.1 --port \"\$BENCH_PORT\" --http-port 0 --data-dir \"\$BENCH_DATA_DIR\" --allow-anonymous"
fi

if [ ! -f gateway/target/benchlink-gateway.jar ] || [ ! -d gateway/target/test-classes ]; then
    ./mvnw -B -q -DskipTests install >/dev/null
fi
./mvnw -B -q -pl gateway dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
    -Dmdep.includeScope=test >/dev/null
CP="gateway/target/test-classes:gateway/target/classes:$(cat gateway/target/bench.classpath)"

work=$(mktemp -d)
gw_pid=""
cleanup() { set +e; [ -n "$gw_pid" ] && kill "$gw_pid" 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP_BENCH_LOG:-}" ] && cp "$work/gateway.log" /tmp/bench-gateway.log; rm -rf "$work"; }
trap cleanup EXIT

start_gateway() {
    rm -rf "$work/data"
    java $HEAP -jar gateway/target/benchlink-gateway.jar --bind 127.0.0.1 --port 0 --http-port 0 \
        --data-dir "$work/data" --max-subscribers 20000 >"$work/gateway.log" 2>&1 &
    gw_pid=$!
    for _ in $(seq 1 100); do
        port=$(grep -oE 'listening on ws://[^:]+:[0-9]+' "$work/gateway.log" | grep -oE '[0-9]+$' || true)
        [ -n "$port" ] && return 0
        sleep 0.2
    done
    echo "gateway did not start:"; cat "$work/gateway.log"; exit 1
}
stop_gateway() { kill "$gw_pid"; wait "$gw_pid" 2>/dev/null || true; gw_pid=""; }
load() { java -Xmx1g -cp "$CP" io.benchlink.gateway.bench.LoadTool "$@"; }

echo "# machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%FT%TZ)"
if [ "$which" = all ] || [ "$which" = fanout ]; then
    start_gateway; load fanout "ws://127.0.0.1:$port" 100 100 1000 20; stop_gateway
fi
if [ "$which" = all ] || [ "$which" = ingest ]; then
    start_gateway; load ingest "ws://127.0.0.1:$port" 1 15 1000; stop_gateway
    start_gateway; load ingest "ws://127.0.0.1:$port" 8 15 500; stop_gateway
fi
if [ "$which" = all ] || [ "$which" = idle ]; then
    start_gateway
    base=$(jcmd "$gw_pid" GC.heap_info 2>/dev/null | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+')
    jcmd "$gw_pid" GC.run >/dev/null
    base=$(jcmd "$gw_pid" GC.heap_info | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+')
    load idle "ws://127.0.0.1:$port" 10000 20 >"$work/idle.out" 2>&1 &
    idle_pid=$!
    for _ in $(seq 1 300); do grep -q READY "$work/idle.out" 2>/dev/null && break; sleep 0.2; done
    cat "$work/idle.out"
    sleep 2
    jcmd "$gw_pid" GC.run >/dev/null
    used=$(jcmd "$gw_pid" GC.heap_info | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+')
    rss=$(ps -o rss= -p "$gw_pid")
    echo "idle: heap used after GC ${base}K before, ${used}K with 10,000 subscribers:" \
         "$(( (used - base) * 1024 / 10000 )) B per subscriber; gateway RSS ${rss}K"
    wait "$idle_pid" || true
    stop_gateway
fi
