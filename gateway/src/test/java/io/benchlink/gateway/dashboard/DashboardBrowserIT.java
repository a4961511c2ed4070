package io.benchlink.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.Chromium;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.TestAgent;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

/**
 * The dashboard in a real headless Chromium, driven over the DevTools protocol: live over the WebSocket, over HTTP
 * polling when the WebSocket port is blocked, link state and last result apart. Screenshots go to target/.
 */
@Timeout(120)
class DashboardBrowserIT {
    private static final Path TARGET = Path.of("target");
    private static final String ROWS = "JSON.stringify(Array.from(document.querySelectorAll('#devices tbody tr'))"
            + ".map(tr => [tr.dataset.device, tr.dataset.status, tr.querySelector('.result-text').textContent.trim(),"
            + " tr.dataset.seq, tr.querySelector('.yield').textContent]))";
    /** Each row's tester column and last-result column as the operator reads them. */
    private static final String COLUMNS = "JSON.stringify(Array.from(document.querySelectorAll('#devices tbody tr'))"
            + ".map(tr => tr.dataset.device + ' | ' + tr.querySelector('.tester').innerText.replace(/\\s+/g, ' ')"
            + " + ' | ' + tr.querySelector('.result').innerText.replace(/\\s+/g, ' ')"
            + " + ' | ' + tr.querySelector('.result-time').textContent))";
    private static final String OFFLINE_REASON = "tester disconnected (I/O error reading /dev/ttyUSB0)";

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
                    assertThat(rows(browser)).containsExactly(
                            "bench-01 fail check 3 failed " + seq(gateway, "bench-01") + " 50% (1/2)",
                            "bench-02 fail check 7 failed " + seq(gateway, "bench-02") + " 0% (0/1)"));
            agent.close();

            gateway.restartOnSamePorts();
            // Sent before the page is back: it must arrive through since= on the page's reconnect.
            TestAgent again = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
            again.sendStatus(4, TestAgent.result("bench-02", StatusKind.SUCCESS, "retest passed"));
            again.sendStatus(5, TestAgent.result("bench-03", StatusKind.ERROR, "tester timeout"));
            await().atMost(Duration.ofSeconds(15)).until(() -> rows(browser).size() == 3
                    && "live".equals(linkState(browser)));
            assertThat(rows(browser)).containsExactly(
                    "bench-01 fail check 3 failed " + seq(gateway, "bench-01") + " 50% (1/2)",
                    "bench-02 success retest passed " + seq(gateway, "bench-02") + " 50% (1/2)",
                    "bench-03 error tester timeout " + seq(gateway, "bench-03") + " -");
            again.sendStatus(6, TestAgent.result("bench-03", StatusKind.SUCCESS, "passed after restart"));
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(rows(browser)).element(2).isEqualTo(
                            "bench-03 success passed after restart " + seq(gateway, "bench-03") + " 100% (1/1)"));

            browser.evaluate("document.getElementById('filter').value = 'retest';"
                    + " document.getElementById('filter').dispatchEvent(new Event('input'))");
            // the filter is the page's own work, not a delivery: no latency bound here, a loaded browser may be slow
            await().atMost(Duration.ofSeconds(10)).until(() -> rows(browser).size() == 1);
            browser.evaluate("document.getElementById('filter').value = '';"
                    + " document.getElementById('filter').dispatchEvent(new Event('input'))");
            await().atMost(Duration.ofSeconds(10)).until(() -> rows(browser).size() == 3);
            browser.screenshot(TARGET.resolve("dashboard.png"));
            again.close();
        }
    }

    @Test
    void showsDevicesOverHttpPollingWhenTheWebSocketPortIsUnreachable() throws Exception {
        Files.createDirectories(TARGET);
        // a firewall or proxy in front of the WebSocket port: the page must still show and follow the devices
        try (GatewayFixture gateway = new GatewayFixture(dir).withHttp().start();
             ServerSocket deadEnd = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Chromium browser = Chromium.launch(TARGET.resolve("dashboard-polling-chromium.log"),
                     Chromium.blockingPort(gateway.gateway().httpPort(), deadEnd.getLocalPort()))) {
            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
            agent.sendStatus(1, TestAgent.result("bench-01", StatusKind.SUCCESS, "all 12 checks passed"));
            agent.sendStatus(2, TestAgent.result("bench-02", StatusKind.FAIL, "check 7 failed"));
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.acked().size() == 2);

            browser.navigate("http://127.0.0.1:" + gateway.gateway().httpPort() + "/");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(rows(browser)).containsExactly(
                            "bench-01 success all 12 checks passed " + seq(gateway, "bench-01") + " 100% (1/1)",
                            "bench-02 fail check 7 failed " + seq(gateway, "bench-02") + " 0% (0/1)"));
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(linkState(browser))
                    .as(linkText(browser)).isEqualTo("polling"));

            agent.sendStatus(3, TestAgent.result("bench-02", StatusKind.SUCCESS, "retest passed"));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(rows(browser)).containsExactly(
                            "bench-01 success all 12 checks passed " + seq(gateway, "bench-01") + " 100% (1/1)",
                            "bench-02 success retest passed " + seq(gateway, "bench-02") + " 50% (1/2)"));
            assertThat(linkState(browser)).isEqualTo("polling");

            browser.screenshot(TARGET.resolve("dashboard-polling.png"));
            assertThat(Files.size(TARGET.resolve("dashboard-polling.png"))).isGreaterThan(10_000);
            assertThat(visibleRows(browser)).containsExactly("bench-01", "bench-02");
            agent.close();
        }
    }

    @Test
    void keepsTheLastResultWithItsTimeWhenTheTesterGoesOfflineAndShowsTheReason() throws Exception {
        Files.createDirectories(TARGET);
        try (GatewayFixture gateway = new GatewayFixture(dir).withHttp().start();
             Chromium browser = Chromium.launch(TARGET.resolve("dashboard-offline-chromium.log"))) {
            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-01"));
            DeviceStatus passed = TestAgent.result("bench-01", StatusKind.SUCCESS, "all 12 checks passed");
            agent.sendStatus(1, passed);
            agent.sendStatus(2, DeviceStatus.link("bench-01", StatusKind.OFFLINE, OFFLINE_REASON,
                    passed.timeEnd().plusSeconds(5)));
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.acked().size() == 2);
            String resultTime = passed.timeEnd().toString().substring(0, 19).replace('T', ' ');

            // opened after the offline: the last result comes from the /api/events replay
            browser.navigate("http://127.0.0.1:" + gateway.gateway().httpPort() + "/");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(columns(browser)).singleElement().asString()
                            .startsWith("bench-01 | offline " + OFFLINE_REASON + ", since ")
                            .endsWith(" | success all 12 checks passed | " + resultTime));
            await().atMost(Duration.ofSeconds(15)).until(() -> "live".equals(linkState(browser)));

            // live: the tester comes back, then goes away again; the result stays
            agent.sendStatus(3, DeviceStatus.link("bench-01", StatusKind.ONLINE, "tester connected (/dev/ttyUSB0)",
                    passed.timeEnd().plusSeconds(9)));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(columns(browser)).singleElement().asString()
                            .startsWith("bench-01 | online tester connected (/dev/ttyUSB0), since ")
                            .endsWith(" | success all 12 checks passed | " + resultTime));
            assertThat(banner(browser)).isEmpty();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(rigs(browser)).containsExactly("rig-1 | connected | bench-01"));
            agent.close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(rigs(browser)).containsExactly("rig-1 | not connected | bench-01"));

            // /healthz is watched: a gateway that stops answering shows as a banner over the (kept) table
            gateway.gateway().close();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(banner(browser)).startsWith("Gateway not answering on 127.0.0.1:"));
            assertThat(columns(browser)).singleElement().asString().endsWith(" | success all 12 checks passed | "
                    + resultTime);
        }
    }

    @Test
    void saysLoadingRatherThanNoDevicesUntilTheFirstAnswer() throws Exception {
        try (GatewayFixture gateway = new GatewayFixture(dir).withHttp().start()) {
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    gateway.http("/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).contains("<p id=\"empty\" class=\"empty\" data-state=\"loading\">loading…</p>")
                    .doesNotContain("No devices yet");
        }
    }

    /** The rigs panel's rows as "agent | link | devices" (the since column is left out: it is a time). */
    private static List<String> rigs(Chromium browser) throws Exception {
        return strings(browser.evaluate("document.getElementById('rigs').hidden ? '[]' : JSON.stringify("
                + "Array.from(document.querySelectorAll('#agents tbody tr')).map(tr => tr.cells[0].textContent"
                + " + ' | ' + tr.cells[1].textContent + ' | ' + tr.cells[3].textContent))"));
    }

    /** The banner's text, or "" while it is hidden. */
    private static String banner(Chromium browser) throws Exception {
        return browser.evaluate("document.getElementById('banner').hidden ? ''"
                + " : document.getElementById('banner').textContent").getAsString();
    }

    private static String linkText(Chromium browser) throws Exception {
        JsonElement text = browser.evaluate("document.getElementById('link').textContent");
        return text == null || text.isJsonNull() ? null : text.getAsString();
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

    private static List<String> columns(Chromium browser) throws Exception {
        return strings(browser.evaluate(COLUMNS));
    }

    /** The devices whose rows lie inside the viewport with a non-zero size, as the screenshot shows them. */
    private static List<String> visibleRows(Chromium browser) throws Exception {
        return strings(browser.evaluate("JSON.stringify(Array.from(document.querySelectorAll('#devices tbody tr'))"
                + ".filter(tr => { const r = tr.getBoundingClientRect(); return r.height > 0 && r.top >= 0"
                + " && r.bottom <= window.innerHeight && getComputedStyle(tr).visibility === 'visible'; })"
                + ".map(tr => tr.dataset.device))"));
    }

    private static List<String> strings(JsonElement json) {
        List<String> out = new ArrayList<>();
        if (json != null && !json.isJsonNull()) {
            JsonParser.parseString(json.getAsString()).getAsJsonArray().forEach(e -> out.add(e.getAsString()));
        }
        return out;
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
