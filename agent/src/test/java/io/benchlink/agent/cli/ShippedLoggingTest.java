package io.benchlink.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Issue 14.6: the agent's shipped logging configuration writes text from the gateway or a tester as one line. */
class ShippedLoggingTest {
    @Test
    void peerTextWithLineBreaksAndTerminalEscapesStaysOneEscapedLine() throws Exception {
        URL shipped = AgentMain.class.getResource("/logback.xml");
        assertThat(shipped.toString()).as("the shipped configuration").doesNotContain("test-classes");
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8)); // before the console appender starts
        LoggerContext context = new LoggerContext(); // its own, so the test's logging is left alone
        context.setMDCAdapter(new LogbackMDCAdapter());
        try {
            JoranConfigurator joran = new JoranConfigurator();
            joran.setContext(context);
            joran.doConfigure(shipped);
            context.getLogger("io.benchlink.agent.uplink.Uplink")
                    .warn("uplink - refused by gateway: {}", "no\r\n2026-01-01 00:00:00.000 ERROR [main] Forged \u001b[2J");
        } finally {
            System.setErr(stderr);
            context.stop();
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log.lines()).singleElement().asString()
                .endsWith("refused by gateway: no\\r\\n2026-01-01 00:00:00.000 ERROR [main] Forged \\x1b[2J");
    }
}
