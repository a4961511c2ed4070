package io.benchlink.agent.e2e;

import com.google.gson.JsonObject;
import io.benchlink.agent.e2e.ClusterRig.Node;
import io.benchlink.agent.testing.ChildJvm;
import io.benchlink.agent.testing.NativeForTests;
import io.benchlink.agent.testing.PtyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Benchmark, not a test (issue 15, "failover time after a SIGKILL"): the harness of {@link ClusterUnderFaultsIT}
 * (real PostgreSQL, gateway JVMs A and B, an agent JVM listing A then B on a socat pty with a paced tester). Each run
 * SIGKILLs the gateway the agent is on and measures, from the kill:
 * <ol>
 *   <li>welcomed: the agent's log says the other gateway welcomed it;</li>
 *   <li>re-acked: the first of its statuses committed through the other gateway reaches a subscriber that sits on
 *   that gateway (the gateway acks after the commit, so this is the ack's time within the fan-out delay);</li>
 *   <li>resumed: the subscriber that was on the dead gateway has reconnected to the other one with {@code since=};</li>
 *   <li>next event: that subscriber has received its next event.</li>
 * </ol>
 * Then the dead gateway restarts on its port, and the next run kills the other one, so runs alternate between the
 * agent's first-listed gateway (it retries that one once, then fails over) and its second (it goes back to the
 * first). Both ends of each figure use this JVM's clock. Arguments: {@code [runs=6] [rate/s=20]}.
 */
public final class ClusterFailoverBench {
    private static final Duration GRACE = Duration.ofSeconds(60);
    private static final Duration STEP = Duration.ofSeconds(60);

    private ClusterFailoverBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path dir = Files.createTempDirectory("cluster-failover-bench");
        System.out.printf(Locale.ROOT, "# %d cores, %s, logs in %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), dir);
        NativeForTests.load();
        try (ClusterRig rig = new ClusterRig(dir, GRACE);
                PtyPair pty = new PtyPair(Files.createDirectories(dir.resolve("pty"))).start();
                PacedTester tester = new PacedTester(pty, rate)) {
            Node a = rig.gateway("a").launch().awaitListening();
            Node b = rig.gateway("b").launch().awaitListening();
            ChildJvm agent = rig.startAgent("rig-f", "bench-f", pty.a(), List.of(a.wsPort(), b.wsPort()));
            agent.await(ClusterRig.welcomedAt(a.wsPort()), 0, ClusterRig.START);
            tester.limit(Long.MAX_VALUE);
            tester.start();
            long[][] figures = new long[runs][];
            Node on = a;
            for (int run = 0; run < runs; run++) {
                Node other = on == a ? b : a;
                figures[run] = failover(agent, on, other);
                System.out.printf(Locale.ROOT, "run %d: killed %s (agent's %s gateway): welcomed %d ms, re-acked %d ms,"
                        + " subscriber resumed %d ms, next event %d ms%n", run + 1, on.name(),
                        on == a ? "first" : "second", figures[run][0], figures[run][1], figures[run][2],
                        figures[run][3]);
                on.launch().awaitListening();
                on = other;
            }
            report("all runs", figures, 0, 1);
            report("first-listed gateway killed", figures, 0, 2);
            report("second-listed gateway killed", figures, 1, 2);
        }
        System.exit(0);
    }

    /** Kills {@code dead} (the agent's gateway) and returns the four figures in ms since the kill. */
    private static long[] failover(ChildJvm agent, Node dead, Node survivor) throws Exception {
        try (ResumingSubscriber observer = new ResumingSubscriber(survivor::wsPort);
                ResumingSubscriber victim = new ResumingSubscriber(ClusterRig.alternating(dead, survivor))) {
            // both replay the log from seq 0, then follow it live: wait until they are level and traffic flows
            Awaitility.await("subscribers level").atMost(STEP).pollInterval(Duration.ofMillis(50))
                    .until(() -> victim.connections() == 1 && observer.connections() == 1
                            && victim.events().size() == observer.events().size() && !victim.events().isEmpty());
            int seen = victim.events().size();
            Awaitility.await("live traffic").atMost(STEP).until(() -> victim.events().size() >= seen + 3);
            int agentLines = agent.lines();
            int before = victim.events().size();
            long killed = System.nanoTime();
            dead.kill();
            agent.await(ClusterRig.welcomedAt(survivor.wsPort()), agentLines, STEP);
            // the log line is seen within a poll of 20 ms: anything the observer got 50 ms before it is older
            long welcomed = System.nanoTime();
            long acked = firstArrivalAfter(observer, welcomed - TimeUnit.MILLISECONDS.toNanos(50));
            Awaitility.await("victim resumed").atMost(STEP).pollInterval(Duration.ofMillis(5))
                    .until(() -> victim.connections() >= 2);
            long resumed = victim.openings().get(1);
            Awaitility.await("victim's next event").atMost(STEP).pollInterval(Duration.ofMillis(5))
                    .until(() -> victim.events().size() > before);
            long next = victim.arrivals().get(before);
            return new long[] {ms(welcomed - killed), ms(acked - killed), ms(resumed - killed), ms(next - killed)};
        }
    }

    private static long firstArrivalAfter(ResumingSubscriber subscriber, long after) {
        long[] found = new long[1];
        Awaitility.await("a status re-acked through the survivor").atMost(STEP).pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    List<JsonObject> events = subscriber.events();
                    List<Long> arrivals = subscriber.arrivals();
                    for (int i = events.size() - 1; i >= 0 && arrivals.get(i) >= after; i--) {
                        found[0] = arrivals.get(i);
                    }
                    return found[0] != 0;
                });
        return found[0];
    }

    private static void report(String what, long[][] figures, int first, int step) {
        List<long[]> chosen = new ArrayList<>();
        for (int i = first; i < figures.length; i += step) {
            chosen.add(figures[i]);
        }
        if (chosen.isEmpty()) {
            return;
        }
        System.out.printf(Locale.ROOT, "median of %d, %s: welcomed %d ms, re-acked %d ms, subscriber resumed %d ms,"
                + " next event %d ms%n", chosen.size(), what, median(chosen, 0), median(chosen, 1),
                median(chosen, 2), median(chosen, 3));
    }

    private static long median(List<long[]> rows, int column) {
        long[] values = rows.stream().mapToLong(r -> r[column]).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
