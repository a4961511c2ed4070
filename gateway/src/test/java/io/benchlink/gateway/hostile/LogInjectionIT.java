package io.benchlink.gateway.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.benchlink.gateway.app.Gateway;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.RawSocket;
import io.benchlink.gateway.testing.TestAgent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 14.6: peer text in the gateway's log cannot forge lines or steer a terminal. Runs a real gateway under the
 * logging configuration the jar ships ({@code logback.xml} of the main resources, console on stderr, captured
 * here), sends an agent_id, a device id, a frame type and a token carrying CR/LF, a forged log line and ANSI
 * colour escapes, and requests HTTP and WebSocket paths with encoded CR/LF, and checks that every line written is
 * one well-formed log line with the control characters shown as escapes.
 */
@Timeout(60)
class LogInjectionIT {
    private static final String FORGED = "2026-01-01 00:00:00.000 ERROR [main] Forged - ";
    private static final String HOSTILE = "x\r\n" + FORGED + "\u001b[31mred\u001b[0m";
    private static final String LINE_START = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO |WARN |ERROR) .*";
    @TempDir
    Path dir;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream stderr;
    private Gateway gateway;

    @BeforeEach
    void shippedLogging() throws Exception {
        stderr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        URL shipped = Gateway.class.getResource("/logback.xml");
        assertThat(shipped.toString()).as("the shipped configuration, not a test one").doesNotContain("test-classes");
        configure(shipped);
    }

    @AfterEach
    void testLogging() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        System.setErr(stderr);
        configure(LogInjectionIT.class.getResource("/logback-test.xml"));
    }

    private static void configure(URL config) throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        joran.doConfigure(config);
    }

    private String log() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void peerTextWithLineBreaksAndTerminalEscapesIsLoggedAsOneEscapedLine() throws Exception {
        gateway = Gateway.start(GatewayFixture.withPorts(GatewayFixture.defaults(dir), 0, 0));
        URI agents = URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/agents");
        refused(agents, "{\"type\":\"hello\",\"agent_id\":\"" + json(HOSTILE) + "\",\"devices\":[]}");
        refused(agents, "{\"type\":\"hello\",\"agent_id\":\"rig-1\",\"devices\":[\"" + json(HOSTILE) + "\"]}");
        refused(agents, "{\"type\":\"hello\",\"agent_id\":\"rig-2\",\"token\":\"" + json(HOSTILE) + "\"}",
                "{\"type\":\"" + json(HOSTILE) + "\"}");
        try (RawSocket raw = RawSocket.open(gateway.port(), 65_536)) {
            raw.handshake("/ws/devices/%0d%0aForged%1b[31m");
        }
        try (RawSocket raw = RawSocket.open(gateway.httpPort(), 65_536)) {
            raw.write("GET /api/devices/%0d%0aForged%1b[31m HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            raw.closedByServer();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> log().contains("rig-2 - refused: unknown frame type"));

        String log = log();
        assertThat(log).doesNotContain("\r").doesNotContain("\u001b").doesNotContain("\u009b");
        List<String> lines = log.lines().toList();
        assertThat(lines).allSatisfy(line -> assertThat(line).matches(LINE_START));
        String escaped = "x\\r\\n" + FORGED + "\\x1b[31m";
        assertThat(lines).filteredOn(l -> l.contains("agent_id must")).singleElement().asString().contains(escaped);
        assertThat(lines).filteredOn(l -> l.contains("devices must")).singleElement().asString().contains(escaped);
        assertThat(lines).filteredOn(l -> l.contains("unknown frame type")).singleElement().asString()
                .contains("\"x\\r\\n2026-01-01");
        // the forged line appears only inside the three refusals above, never as a line of its own
        assertThat(lines).filteredOn(l -> l.contains("2026-01-01 00:00:00.000 ERROR")).hasSize(3);
    }

    /** Sends the frames on a fresh agent link and waits until the gateway closes it. */
    private static void refused(URI agents, String... frames) throws Exception {
        TestAgent agent = new TestAgent(agents);
        assertThat(agent.connectBlocking()).isTrue();
        for (String frame : frames) {
            agent.send(frame);
        }
        agent.awaitCloseCode();
    }

    /** The text as the inside of a JSON string: the peer's bytes are the raw control characters. */
    private static String json(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n").replace("\u001b", "\\u001b");
    }
}
