#!/usr/bin/env bash
# Agent load tools (not timed tests): lines parsed per second per built-in profile, then the CPU of an idle
# agent watching N pty ports (needs socat). Usage: scripts/bench-agent-parse.sh [ports=8] [seconds=30]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl agent -am package -DskipTests
CP="agent/target/benchlink-agent.jar:agent/target/test-classes"
JAVA_OPTS=(-Xmx512m -Dbenchlink.log.level=WARN)
echo "== lines parsed per second (framing + profile + test tracking) =="
java "${JAVA_OPTS[@]}" -cp "$CP" io.benchlink.agent.bench.ParseBench
echo "== idle CPU, ${1:-8} ports for ${2:-30} s =="
java "${JAVA_OPTS[@]}" -cp "$CP" io.benchlink.agent.bench.IdleCpuBench "${1:-8}" "${2:-30}"
