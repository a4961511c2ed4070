package io.benchlink.agent.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.agent.testing.PtyPair;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agent run} in its own JVM, reading a pseudo-terminal, gets SIGTERM while statuses wait for acks: it stops in
 * order (ports, then spool and uplink) within 10 s with exit code 0, and a restarted agent delivers what was not
 * acknowledged from its spool (which was therefore closed intact).
 */
@Timeout(120)
class AgentShutdownIT {
    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();
    private FakeGateway gateway;
    private PtyPair pty;

    @AfterEach
    void stop() throws Exception {
        for (Process child : children) {
            child.destroyForcibly();
        }
        if (pty != null) {
            pty.close();
        }
        if (gateway != null) {
            gateway.stop(1000);
        }
    }

    private Process agent(List<String> log) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), "io.benchlink.agent.cli.AgentMain", "run",
                "--gateway", gateway.url() + "/ws/agents", "--agent-id", "rig-term", "--device-id", "bench-1",
                "--port", pty.a().toString(), "--profile", "kv", "--spool-dir", dir.resolve("spool").toString(),
                "--native-dir", dir.resolve("native").toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        children.add(process);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    log.add(line);
                }
            } catch (IOException e) {
                // the child is gone
            }
        }, "test-agent-log");
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    private void results(int from, int to) throws IOException {
        for (int i = from; i <= to; i++) {
            pty.writeLines("\r\n", "TEST=START", "MAC=aa-bb-cc-dd-ee-" + String.format("%02x", i), "SN=SN-" + i,
                    "RESULT=PASS ok " + i);
        }
    }

    @Test
    void sigtermStopsTheAgentInOrderWithExitZeroAndTheRestartDeliversWhatWasNotAcknowledged() throws Exception {
        gateway = new FakeGateway(null).startAndWait();
        pty = new PtyPair(dir).start();
        List<String> log = new CopyOnWriteArrayList<>();
        Process first = agent(log);
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.hellos().size() == 1);
        results(1, 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.storedCount() >= 4); // online + 3 results
        gateway.forgetAbove(4); // a gateway that takes the next statuses but neither stores nor acks them
        results(4, 6);
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.receivedCount() >= 7);

        long start = System.nanoTime();
        first.toHandle().destroy(); // SIGTERM, keeping our end of its output open
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s; log: %s", log).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(first.exitValue()).as("exit code; log: %s", log).isZero();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(log)
                .anyMatch(line -> line.contains("SIGTERM received"))
                .anyMatch(line -> line.contains("agent stopped")));
        assertThat(log).noneMatch(line -> line.contains("Exception"));

        gateway.forgetAbove(Long.MAX_VALUE); // welcome says last_seq 4: the restarted agent sends 5..7 from its spool
        List<String> log2 = new CopyOnWriteArrayList<>();
        Process second = agent(log2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(gateway.storedSeqs())
                .containsAll(LongStream.rangeClosed(1, 7).boxed().toList()));
        second.toHandle().destroy();
        assertThat(second.waitFor(10, TimeUnit.SECONDS)).as("second stop; log: %s", log2).isTrue();
        assertThat(second.exitValue()).isZero();
    }
}
