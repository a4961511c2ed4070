#!/usr/bin/env bash
# End-to-end benchmark of issue 4 (not a timed test): real gateway and agent JVMs, a socat pty tester and a
# subscriber. Prints tester-line -> subscriber latency p50/p99 in steady state, and the time to drain results
# spooled during a gateway outage. Needs socat. Bounded: about 1.5 minutes with the defaults.
#   scripts/bench-e2e.sh [rate/s=20] [latency seconds=30] [drain results=10000] [outage seconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl agent -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/e2e-bench.classpath -Dmdep.includeScope=test >/dev/null
CP="agent/target/test-classes:agent/target/classes:$(cat agent/target/e2e-bench.classpath)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx512m -cp "$CP" io.benchlink.agent.e2e.EndToEndBench "$@"
