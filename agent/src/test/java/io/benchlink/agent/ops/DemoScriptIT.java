package io.benchlink.agent.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** scripts/demo, the README's main command, in its bounded form ({@code --for N}) on free ports. */
@Timeout(120)
class DemoScriptIT {
    private static final Path REPO = InstallScriptIT.REPO;

    @TempDir
    Path dir;

    private record Run(int code, String output) {
    }

    private Run demo(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "scripts/demo"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
        builder.environment().put("BENCHLINK_DEMO_DIR", dir.resolve("demo").toString());
        builder.environment().put("BENCHLINK_DEMO_NO_BUILD", "1"); // never run Maven inside Maven
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroy(); // SIGTERM: the script's trap stops its children
            process.waitFor(20, TimeUnit.SECONDS);
            throw new IllegalStateException("demo did not finish: " + new String(out, StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aBoundedDemoStoresEventsPrintsTheUrlsAndStopsEverythingCleanly() throws Exception {
        assumeTrue(Files.exists(InstallScriptIT.AGENT_JAR), "needs the agent jar: run from the reactor root");
        int ws = freePort();
        int http = freePort();
        Run run = demo(Map.of("BENCHLINK_DEMO_PORT", String.valueOf(ws), "BENCHLINK_DEMO_HTTP_PORT",
                String.valueOf(http), "BENCHLINK_DEMO_RATE", "2"), "--for", "10");

        assertThat(run.code()).as(run.output()).isZero();
        assertThat(run.output()).contains("ws://127.0.0.1:" + ws + "/ws/devices/all",
                "http://127.0.0.1:" + http + "/", "curl -s 'http://127.0.0.1:" + http + "/api/events",
                "agent stopped (exit 0)", "gateway stopped (exit 0)");
        if (run.output().contains("simulated tester stopped")) { // with socat: agent simulate --serial, SIGTERMed
            assertThat(run.output()).as(run.output()).contains("simulated tester stopped (exit 0)");
        }
        Matcher held = Pattern.compile("the gateway holds (\\d+) events").matcher(run.output());
        if (held.find()) { // printed when curl is installed
            assertThat(Integer.parseInt(held.group(1))).as(run.output()).isGreaterThanOrEqualTo(4);
        }
        String gatewayLog = Files.readString(dir.resolve("demo/gateway.log"));
        assertThat(gatewayLog).contains("demo-rig - hello from", "SIGTERM received", "gateway stopped");
        try (ServerSocket again = new ServerSocket(ws, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).as("the gateway's port is free again").isEqualTo(ws);
        }
    }

    @Test
    void aSecondRunPrintsTheEarlierEventsAsHistoryAndOnlyItsOwnAsLive() throws Exception {
        assumeTrue(Files.exists(InstallScriptIT.AGENT_JAR), "needs the agent jar: run from the reactor root");
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v curl").start().waitFor() == 0, "the feed needs curl");
        Map<String, String> env = Map.of("BENCHLINK_DEMO_PORT", String.valueOf(freePort()),
                "BENCHLINK_DEMO_HTTP_PORT", String.valueOf(freePort()), "BENCHLINK_DEMO_RATE", "2");
        Run first = demo(env, "--for", "8");
        assertThat(first.code()).as(first.output()).isZero();
        assertThat(first.output()).doesNotContain("history (").contains("live: events");
        long firstMax = seqs(first.output()).stream().mapToLong(Long::longValue).max().orElseThrow();

        Run second = demo(env, "--for", "8");
        assertThat(second.code()).as(second.output()).isZero();
        String out = second.output();
        Matcher header = Pattern.compile("demo: history \\(stored before this run, up to seq (\\d+);").matcher(out);
        assertThat(header.find()).as(out).isTrue();
        long boundary = Long.parseLong(header.group(1));
        int live = out.indexOf("demo: live: events");
        assertThat(boundary).as(out).isGreaterThanOrEqualTo(firstMax);
        assertThat(header.start()).as(out).isLessThan(live);
        assertThat(seqs(out.substring(header.start(), live))).as(out).isNotEmpty().allMatch(seq -> seq <= boundary);
        assertThat(seqs(out.substring(live))).as(out).isNotEmpty().allMatch(seq -> seq > boundary);
    }

    private static List<Long> seqs(String output) {
        List<Long> seqs = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^  seq (\\d+) ").matcher(output);
        while (m.find()) {
            seqs.add(Long.parseLong(m.group(1)));
        }
        return seqs;
    }

    @Test
    void aBusyPortStopsTheDemoWithOneClearLine() throws Exception {
        assumeTrue(Files.exists(InstallScriptIT.AGENT_JAR), "needs the agent jar: run from the reactor root");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = demo(Map.of("BENCHLINK_DEMO_PORT", String.valueOf(busy.getLocalPort()),
                    "BENCHLINK_DEMO_HTTP_PORT", String.valueOf(freePort())));
            assertThat(run.code()).isEqualTo(1);
            assertThat(run.output().strip()).isEqualTo("demo: port " + busy.getLocalPort()
                    + " is already in use on 127.0.0.1 (stop what uses it, or set BENCHLINK_DEMO_PORT)");
        }
    }
}
