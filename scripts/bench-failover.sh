#!/usr/bin/env bash
# Cluster failover benchmark of issue 15 (not a timed test): a real PostgreSQL, gateway JVMs A and B on it, an
# agent JVM listing both on a socat pty with a paced tester. Each run SIGKILLs the agent's gateway and prints the
# time until the agent is welcomed and re-acked by the other one, and until a subscriber of the dead gateway has
# resumed on the other and received its next event; then medians. Needs socat and PostgreSQL's server binaries.
#   scripts/bench-failover.sh [runs=6] [rate/s=20]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl agent -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/e2e-bench.classpath -Dmdep.includeScope=test >/dev/null
CP="agent/target/test-classes:agent/target/classes:$(cat agent/target/e2e-bench.classpath)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx512m -cp "$CP" io.benchlink.agent.e2e.ClusterFailoverBench "$@"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
