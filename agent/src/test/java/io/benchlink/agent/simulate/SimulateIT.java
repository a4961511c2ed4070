package io.benchlink.agent.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.agent.cli.AgentMain;
import io.benchlink.agent.profile.BuiltinProfiles;
import io.benchlink.agent.serial.SerialConnector;
import io.benchlink.agent.serial.SerialSettings;
import io.benchlink.agent.source.DeviceReader;
import io.benchlink.agent.testing.ChildJvm;
import io.benchlink.agent.testing.NativeForTests;
import io.benchlink.agent.testing.PtyPair;
import io.benchlink.agent.testing.RecordingSink;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SimulateIT {
    @TempDir
    Path dir;

    @Test
    void simulatedTesterWritingIntoAPtyIsReadThroughTheSameParsing() throws Exception {
        NativeForTests.load();
        RecordingSink sink = new RecordingSink();
        try (PtyPair pty = new PtyPair(dir).start();
                DeviceReader reader = new DeviceReader("sim-pty", new SerialConnector(pty.a().toString(),
                        SerialSettings.DEFAULT), BuiltinProfiles.kv(), sink, WallClock.system(),
                        DeviceReader.defaultBackoff())) {
            reader.start();
            sink.awaitLink("sim-pty", StatusKind.ONLINE, 1, Duration.ofSeconds(10));
            // hold the tester's end open too, as a terminal would: the last close of a pty drops unread output
            pty.writeBytes(new byte[0]);
            StringWriter err = new StringWriter();
            CompletableFuture<Integer> simulator = CompletableFuture.supplyAsync(() -> AgentMain.execute(new String[] {
                "simulate", "--serial", pty.b().toString(), "--count", "5", "--tests-per-second", "20",
                "--fail-ratio", "0.4", "--error-ratio", "0.2", "--seed", "7", "--native-dir",
                        NativeForTests.DIR.toString()},
                    new PrintWriter(new StringWriter()), new PrintWriter(err, true)));
            assertThat(simulator.get(20, java.util.concurrent.TimeUnit.SECONDS)).as(err.toString()).isZero();
            List<DeviceStatus> results = sink.awaitResults("sim-pty", 5, Duration.ofSeconds(10));

            SimulatedTester expected = new SimulatedTester(new SimulationSettings("kv", 20, 0.4, 0.2, 7, 5));
            for (DeviceStatus result : results) {
                List<String> lines = expected.nextTest();
                assertThat(result.macAddress()).isEqualTo(lines.get(1).substring(4));
                assertThat(result.serialNumber()).isEqualTo(lines.get(2).substring(3));
                String outcome = lines.get(4).substring("RESULT=".length()).split(" ")[0].toLowerCase(Locale.ROOT);
                assertThat(result.status().wireName()).isEqualTo("pass".equals(outcome) ? "success" : outcome);
            }
        }
    }

    @Test
    void simulatorListeningOnTcpIsReadLikeASerialServer() throws Exception {
        RecordingSink sink = new RecordingSink();
        java.io.StringWriter out = new java.io.StringWriter();
        CompletableFuture<Integer> simulator = CompletableFuture.supplyAsync(() -> AgentMain.execute(new String[] {
            "simulate", "--listen", "0", "--profile", "jsonl", "--count", "3", "--tests-per-second", "20", "--seed",
                    "3"},
                new PrintWriter(out, true), new PrintWriter(new StringWriter())));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("listening on"));
        int port = Integer.parseInt(out.toString().trim().replaceAll(".*:", ""));
        try (DeviceReader reader = new DeviceReader("sim-tcp", new io.benchlink.agent.tcp.TcpConnector("127.0.0.1",
                port,
                Duration.ofSeconds(2)), BuiltinProfiles.jsonl(), sink, WallClock.system(),
                        DeviceReader.defaultBackoff())) {
            reader.start();
            List<DeviceStatus> results = sink.awaitResults("sim-tcp", 3, Duration.ofSeconds(20));
            assertThat(results).allSatisfy(r -> assertThat(r.serialNumber()).startsWith("SN-"));
            assertThat(simulator.get()).isZero();
        }
    }

    @Test
    void simulatorWritingToStdoutExitsWithZeroOnSigterm() throws Exception {
        try (ChildJvm simulator = ChildJvm.start("simulate-stdout", dir.resolve("stdout.log"), List.of(),
                AgentMain.class.getName(), List.of("simulate", "--tests-per-second", "20"))) {
            simulator.await(Pattern.compile("MAC="), 0, Duration.ofSeconds(30));
            assertThat(simulator.terminate(Duration.ofSeconds(15))).as(simulator.tail()).isZero();
        }
    }

    @Test
    void simulatorWaitingForATcpClientExitsWithZeroOnSigterm() throws Exception {
        try (ChildJvm simulator = ChildJvm.start("simulate-listen", dir.resolve("listen.log"), List.of(),
                AgentMain.class.getName(), List.of("simulate", "--listen", "0"))) {
            simulator.await(Pattern.compile("listening on"), 0, Duration.ofSeconds(30));
            assertThat(simulator.terminate(Duration.ofSeconds(15))).as(simulator.tail()).isZero();
        }
    }
}
