package io.benchlink.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.Chromium;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.TestAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard in a real headless Chromium, driven over the DevTools protocol. */
@Timeout(120)
class DashboardBrowserIT {
    private static final Path TARGET = Path.of("target");
    private static final String ROWS = "JSON.stringify(Array.from(document.querySelectorAll('#devices tbody tr'))"
            + ".map(tr => [tr.dataset.device, tr.dataset.status, tr.cells[4].textContent, tr.dataset.seq,"
            + " tr.cells[8].textContent]))";

    @TempDir
    Path dir;

    @BeforeEach
    void requireChromium() {
        if (!Chromium.installed()) {
            if (System.getenv("CI") != null) {
                fail("%s is missing: CI must install the Debian package chromium", Chromium.BINARY);
            }
            Assumptions.abort(Chromium.BINARY + " is missing (apt-get install -y chromium); browser test skipped"
                    + " outside CI");
        }
    }

    @Test
    void showsLiveStatusesWithinTwoSecondsAndResumesAfterAGatewayRestart() throws Exception {
        Files.createDirectories(TARGET);
        try (GatewayFixture gateway = new GatewayFixture(dir).withHttp().start();
             Chromium browser = Chromium.launch(TARGET.resolve("dashboard-chromium.log"))) {
            browser.navigate("http://127.0.0.1:" + gateway.gateway().httpPort() + "/");
            await().atMost(Duration.ofSeconds(15)).until(() -> "live".equals(linkState(browser)));

            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
            agent.sendStatus(1, TestAgent.result("bench-01", StatusKind.SUCCESS, "all 12 checks passed"));
            agent.sendStatus(2, TestAgent.result("bench-02", StatusKind.FAIL, "check 7 failed"));
            agent.sendStatus(3, TestAgent.result("bench-01", StatusKind.FAIL, "check 3 failed"));
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(rows(browser)).containsExactly("bench-01 fail check 3 failed " + seq(gateway, "bench-01") + " 50% (1/2)",
                            "bench-02 fail check 7 failed " + seq(gateway, "bench-02") + " 0% (0/1)"));
            agent.close();

            gateway.restartOnSamePorts();
            // Sent before the page is back: it must arrive through since= on the page's reconnect.
            TestAgent again = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
            again.sendStatus(4, TestAgent.result("bench-02", StatusKind.SUCCESS, "retest passed"));
            again.sendStatus(5, TestAgent.result("bench-03", StatusKind.ERROR, "tester timeout"));
            await().atMost(Duration.ofSeconds(15)).until(() -> rows(browser).size() == 3
                    && "live".equals(linkState(browser)));
            assertThat(rows(browser)).containsExactly("bench-01 fail check 3 failed " + seq(gateway, "bench-01") + " 50% (1/2)",
                    "bench-02 success retest passed " + seq(gateway, "bench-02") + " 50% (1/2)", "bench-03 error tester timeout " + seq(gateway, "bench-03") + " -");
            again.sendStatus(6, TestAgent.result("bench-03", StatusKind.SUCCESS, "passed after restart"));
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(rows(browser)).element(2).isEqualTo("bench-03 success passed after restart " + seq(gateway, "bench-03") + " 100% (1/1)"));

            browser.evaluate("document.getElementById('filter').value = 'retest';"
                    + " document.getElementById('filter').dispatchEvent(new Event('input'))");
            await().atMost(Duration.ofSeconds(2)).until(() -> rows(browser).size() == 1);
            browser.evaluate("document.getElementById('filter').value = '';"
                    + " document.getElementById('filter').dispatchEvent(new Event('input'))");
            await().atMost(Duration.ofSeconds(2)).until(() -> rows(browser).size() == 3);
            browser.screenshot(TARGET.resolve("dashboard.png"));
            again.close();
        }
    }

    private static String linkState(Chromium browser) throws Exception {
        JsonElement state = browser.evaluate("document.getElementById('link') && document.getElementById('link')"
                + ".dataset.state");
        return state == null || state.isJsonNull() ? null : state.getAsString();
    }

    /** The seq of a device's last stored status (seq starts above the clock's floor, issue 14.1). */
    private static long seq(GatewayFixture gateway, String device) {
        return gateway.gateway().store().lastStatus(device).map(e -> e.seq()).orElse(-1L);
    }

    /** Each table row as "device status result seq yield". */
    private static List<String> rows(Chromium browser) throws Exception {
        JsonElement json = browser.evaluate(ROWS);
        List<String> rows = new ArrayList<>();
        if (json == null || json.isJsonNull()) {
            return rows;
        }
        for (JsonElement row : JsonParser.parseString(json.getAsString()).getAsJsonArray()) {
            JsonArray cells = row.getAsJsonArray();
            List<String> parts = new ArrayList<>();
            cells.forEach(c -> parts.add(c.getAsString()));
            rows.add(String.join(" ", parts));
        }
        return rows;
    }
}
