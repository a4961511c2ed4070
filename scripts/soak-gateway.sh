#!/usr/bin/env bash
# Soak test of the gateway's WebSocket listener (issue 7). NOT part of `mvn verify`. Bounded: SECONDS of load
# (default 120) plus 10 s idle plus start-up. Starts two gateways from the built jar on loopback, one plain (ws://)
# and one with TLS (wss://, a keytool certificate made here), then runs SoakTool: CLIENTS subscribers per gateway
# (default 10) that connect, wait for one live status, close and reconnect, while an agent sends 20 statuses/s.
# It reports connects completed/failed/hung and the CPU of each gateway's WebSocket selector thread (from
# /proc/PID/task/*/stat) under load and then idle: a selector spinning at 100% (Java-WebSocket #896, #458) shows
# as high idle CPU; wss connections hanging after reconnects (#719, #1086) show as failed/hung cycles.
#   scripts/soak-gateway.sh [SECONDS] [CLIENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-120}"
clients="${2:-10}"
idle=10

if [ ! -f gateway/target/benchlink-gateway.jar ] || [ ! -f gateway/target/test-classes/io/benchlink/gateway/bench/SoakTool.class ]; then
    ./mvnw -B -q -pl gateway -am package -DskipTests >/dev/null
fi
./mvnw -B -q -pl gateway dependency:build-classpath -Dmdep.outputFile=target/soak.classpath \
    -Dmdep.includeScope=test >/dev/null
CP="gateway/target/test-classes:gateway/target/classes:$(cat gateway/target/soak.classpath)"

work=$(mktemp -d)
pids=()
cleanup() { set +e; for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

keytool -genkeypair -alias gateway -keyalg EC -groupname secp256r1 -validity 2 -dname CN=localhost \
    -ext san=dns:localhost,ip:127.0.0.1 -storetype PKCS12 -keystore "$work/gateway.p12" \
    -storepass soak-pw -keypass soak-pw >/dev/null 2>&1
keytool -exportcert -rfc -alias gateway -keystore "$work/gateway.p12" -storepass soak-pw -file "$work/ca.pem" >/dev/null 2>&1
printf 'soak-pw\n' >"$work/pw"

start_gateway() { # name, extra args...
    local name=$1; shift
    java -Xmx256m -jar gateway/target/benchlink-gateway.jar --bind 127.0.0.1 --port 0 --http-port -1 \
        --data-dir "$work/data-$name" "$@" >"$work/$name.log" 2>&1 &
    pids+=($!)
    eval "${name}_pid=$!"
    for _ in $(seq 1 100); do
        local port
        port=$(grep -oE 'listening on wss?://[^:]+:[0-9]+' "$work/$name.log" | grep -oE '[0-9]+$' || true)
        if [ -n "$port" ]; then eval "${name}_port=$port"; return 0; fi
        sleep 0.2
    done
    echo "gateway $name did not start:"; cat "$work/$name.log"; exit 1
}

# CPU ticks (user+system) of the threads named WebSocketSelector-* (comm is cut to 15 characters).
selector_ticks() {
    local total=0
    for task in /proc/"$1"/task/*; do
        if [ "$(cat "$task/comm" 2>/dev/null)" = "WebSocketSelect" ]; then
            # fields after the ")" of the comm: utime is 12th, stime 13th
            read -r -a f < <(sed 's/.*) //' "$task/stat")
            total=$(( total + f[11] + f[12] ))
        fi
    done
    echo "$total"
}
process_ticks() { read -r -a f < <(sed 's/.*) //' "/proc/$1/stat"); echo $(( f[11] + f[12] )); }
pct() { echo "scale=1; ($2 - $1) * 100 / $(getconf CLK_TCK) / $3" | bc; }

start_gateway plain
BENCHLINK_TLS_PASSWORD= start_gateway tls --tls-keystore "$work/gateway.p12" --tls-password-file "$work/pw"
echo "# machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%FT%TZ); ${seconds}s load, $clients clients per gateway"

p0=$(selector_ticks "$plain_pid"); t0=$(selector_ticks "$tls_pid")
pp0=$(process_ticks "$plain_pid"); tp0=$(process_ticks "$tls_pid")
status=0
java -Xmx512m -cp "$CP" io.benchlink.gateway.bench.SoakTool "ws://127.0.0.1:$plain_port" \
    "wss://localhost:$tls_port" "$work/ca.pem" "$seconds" "$clients" || status=$?
p1=$(selector_ticks "$plain_pid"); t1=$(selector_ticks "$tls_pid")
pp1=$(process_ticks "$plain_pid"); tp1=$(process_ticks "$tls_pid")
sleep "$idle"
p2=$(selector_ticks "$plain_pid"); t2=$(selector_ticks "$tls_pid")
echo "SOAK selector CPU under load: ws $(pct "$p0" "$p1" "$seconds")%, wss $(pct "$t0" "$t1" "$seconds")% of one core;" \
     "whole gateway: ws $(pct "$pp0" "$pp1" "$seconds")%, wss $(pct "$tp0" "$tp1" "$seconds")%"
echo "SOAK selector CPU idle ${idle}s after: ws $(pct "$p1" "$p2" "$idle")%, wss $(pct "$t1" "$t2" "$idle")% (a spinning selector shows ~100%)"
echo "SOAK threads after: ws $(ls /proc/"$plain_pid"/task | wc -l), wss $(ls /proc/"$tls_pid"/task | wc -l);" \
     "gateway log WARN/ERROR lines: ws $(grep -cE ' (WARN|ERROR) ' "$work/plain.log" || true)," \
     "wss $(grep -cE ' (WARN|ERROR) ' "$work/tls.log" || true)"
idle_busy=$(echo "$(pct "$p1" "$p2" "$idle") > 20 || $(pct "$t1" "$t2" "$idle") > 20" | bc)
if [ "$idle_busy" = 1 ]; then echo "SOAK FAIL: a selector thread is busy while idle"; status=1; fi
[ "$status" = 0 ] && echo "SOAK OK" || echo "SOAK FAIL (see counts above)"
exit "$status"
