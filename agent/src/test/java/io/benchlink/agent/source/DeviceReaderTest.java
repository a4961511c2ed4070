package io.benchlink.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.agent.profile.BuiltinProfiles;
import io.benchlink.agent.profile.LineEnding;
import io.benchlink.agent.profile.Profile;
import io.benchlink.agent.retry.Backoff;
import io.benchlink.agent.source.ScriptedConnector.Link;
import io.benchlink.agent.testing.RecordingSink;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.testing.TestClock;
import io.benchlink.common.time.WallClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reader's own logic against a scripted connector (its direct neighbour) and an in-memory sink: framing across
 * reconnects, link statuses, backoff pacing, commands and timeouts. The real ports are in SerialSourceIT, TcpSourceIT.
 */
@Timeout(30)
class DeviceReaderTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String DEVICE = "bench-07";

    private final RecordingSink sink = new RecordingSink();
    private final List<Long> caps = new CopyOnWriteArrayList<>();
    // The reader waits at most 2 ms between attempts, and the test sees every cap it was given.
    private final Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofSeconds(1), cap -> {
        caps.add(cap);
        return Math.min(cap, 2);
    });
    private final TestClock clock = new TestClock(Instant.parse("2025-08-28T14:54:58Z"));
    private DeviceReader reader;

    @AfterEach
    void stop() throws InterruptedException {
        if (reader != null) {
            assertThat(reader.close(WAIT)).as("reader stopped").isTrue();
        }
    }

    @Test
    void aPartialLineFromADroppedLinkIsNotGluedToTheFirstLineAfterTheReconnect() {
        start(BuiltinProfiles.kv(), new ScriptedConnector()
                .then(Link.ending("SN=OLD"))
                .then(Link.open("SN=NEW RESULT=PASS\n")));

        List<DeviceStatus> results = sink.awaitResults(DEVICE, 1, WAIT);
        assertThat(results.get(0).serialNumber()).isEqualTo("NEW");
        assertThat(results.get(0).status()).isEqualTo(StatusKind.SUCCESS);
    }

    @Test
    void theBackoffStartsAgainFromTheFirstDelayOnceALinkOpened() {
        start(BuiltinProfiles.kv(), new ScriptedConnector()
                .refuse("no such port").refuse("no such port").refuse("no such port")
                .then(Link.ending())
                .refuse("no such port"));

        await().atMost(WAIT).until(() -> caps.size() >= 5);
        assertThat(caps.subList(0, 5)).containsExactly(1L, 2L, 4L, 1L, 2L);
    }

    @Test
    void linkStatusesAreSentOnlyWhenTheLinkChanges() {
        ScriptedConnector connector = new ScriptedConnector()
                .refuse("no such port").refuse("still no port")
                .then(Link.ending("RESULT=FAIL 3 of 12\n"));
        start(BuiltinProfiles.kv(), connector);

        sink.awaitLink(DEVICE, StatusKind.OFFLINE, 2, WAIT);
        await().atMost(WAIT).until(() -> reader.openAttempts() >= 6);
        List<DeviceStatus> statuses = sink.of(DEVICE);
        assertThat(statuses).extracting(DeviceStatus::status).containsExactly(
                StatusKind.OFFLINE, StatusKind.ONLINE, StatusKind.FAIL, StatusKind.OFFLINE);
        assertThat(statuses.get(0).result()).contains("no such port"); // the connector's reason, once
        assertThat(statuses.get(1).result()).contains("script:port");
        assertThat(statuses.get(2).result()).isEqualTo("3 of 12");
        assertThat(statuses.get(3).result()).isNotBlank();
        assertThat(reader.linkState()).isEqualTo(StatusKind.OFFLINE);
        assertThat(statuses).allSatisfy(s -> assertThat(s.deviceId()).isEqualTo(DEVICE));
    }

    @Test
    void theLinkIsClosedWhenItIsLost() {
        Link link = Link.ending();
        start(BuiltinProfiles.kv(), new ScriptedConnector().then(link));

        sink.awaitLink(DEVICE, StatusKind.OFFLINE, 1, WAIT);
        // the reader announces offline inside the try-with-resources that then closes the link: wait for the close
        await().atMost(WAIT).until(() -> link.closed);
    }

    @Test
    void aReadErrorWithoutAMessageIsNamedByItsClass() {
        start(BuiltinProfiles.kv(), new ScriptedConnector()
                .then(Link.failing(new IOException())));

        sink.awaitLink(DEVICE, StatusKind.OFFLINE, 1, WAIT);
        assertThat(sink.of(DEVICE).get(1).result()).contains("IOException");
    }

    @Test
    void aReadErrorWithAMessageIsReportedWithIt() {
        start(BuiltinProfiles.kv(), new ScriptedConnector()
                .then(Link.failing(new IOException("device unplugged"), "RESULT=PASS\n")));

        sink.awaitLink(DEVICE, StatusKind.OFFLINE, 1, WAIT);
        assertThat(sink.of(DEVICE)).extracting(DeviceStatus::status)
                .containsExactly(StatusKind.ONLINE, StatusKind.SUCCESS, StatusKind.OFFLINE);
        assertThat(sink.of(DEVICE).get(2).result()).contains("device unplugged");
    }

    @Test
    void aLongReasonIsCutTo200Characters() {
        start(BuiltinProfiles.kv(), new ScriptedConnector().refuse("x".repeat(300)));

        sink.awaitLink(DEVICE, StatusKind.OFFLINE, 1, WAIT);
        assertThat(sink.of(DEVICE).get(0).result()).hasSize(200).contains("x".repeat(150));
    }

    @Test
    void theCommandIsWrittenOnConnectAndThenEverySecond() {
        Link link = Link.open();
        start(withCommand(true, Duration.ofSeconds(1)), new ScriptedConnector().then(link));

        await().atMost(WAIT).until(() -> link.written.size() >= 2);
        assertThat(link.written.subList(0, 2)).containsExactly("STATUS?\r\n", "STATUS?\r\n");
    }

    @Test
    void aPeriodicCommandWaitsItsPeriodBeforeTheFirstWrite() {
        Link link = Link.open();
        start(withCommand(false, Duration.ofSeconds(1)), new ScriptedConnector().then(link));

        await().atMost(WAIT).until(() -> link.written.size() >= 1);
        assertThat(Duration.ofNanos(link.writtenAtNanos.get(0) - link.openedAtNanos))
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void aTestWhosePortVanishedStillTimesOut() {
        Profile profile = withTimeout(Duration.ofSeconds(1));
        start(profile, new ScriptedConnector().then(Link.ending("TEST=START SN=A1\n")));

        sink.awaitLink(DEVICE, StatusKind.OFFLINE, 1, WAIT);
        List<DeviceStatus> results = advanceUntilAResult();
        assertThat(results.get(0).status()).isEqualTo(StatusKind.ERROR);
        assertThat(results.get(0).result()).isEqualTo("test timed out after 1 s");
        assertThat(results.get(0).serialNumber()).isEqualTo("A1");
    }

    @Test
    void aTestTimesOutWhileTheLinkStaysOpen() {
        Link link = Link.open("TEST=START\n");
        start(withTimeout(Duration.ofSeconds(1)), new ScriptedConnector().then(link));

        List<DeviceStatus> results = advanceUntilAResult();
        assertThat(results.get(0).status()).isEqualTo(StatusKind.ERROR);
        assertThat(link.closed).isFalse();
    }

    @Test
    void stopsWhenAskedAndReportsWhoItIs() throws InterruptedException {
        Link link = Link.open();
        start(BuiltinProfiles.kv(), new ScriptedConnector().then(link));
        assertThat(reader.deviceId()).isEqualTo(DEVICE);

        sink.awaitLink(DEVICE, StatusKind.ONLINE, 1, WAIT);
        reader.requestStop();
        assertThat(reader.close(WAIT)).isTrue();
        assertThat(link.closed).isTrue();
        assertThat(reader.openAttempts()).isEqualTo(1);
        assertThat(reader.linkState()).isEqualTo(StatusKind.ONLINE);
        reader = null;
    }

    /** Moves the test clock on in steps, so it does not matter when the reader took the start line. */
    private List<DeviceStatus> advanceUntilAResult() {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            clock.advance(Duration.ofMillis(500));
            return !sink.results(DEVICE).isEmpty();
        });
        return sink.results(DEVICE);
    }

    private void start(Profile profile, ScriptedConnector connector) {
        reader = new DeviceReader(DEVICE, connector, profile, sink, new WallClock(clock), backoff);
        reader.start();
    }

    private static Profile withCommand(boolean onConnect, Duration every) {
        Profile kv = BuiltinProfiles.kv();
        return new Profile("cmd", kv.format(), kv.start(), kv.mac(), kv.serial(), kv.pass(), kv.fail(), kv.error(),
                null, StandardCharsets.UTF_8, LineEnding.CRLF, Profile.DEFAULT_MAX_LINE, "STATUS?", onConnect, every);
    }

    private static Profile withTimeout(Duration timeout) {
        Profile kv = BuiltinProfiles.kv();
        return new Profile("timed", kv.format(), kv.start(), kv.mac(), kv.serial(), kv.pass(), kv.fail(), kv.error(),
                timeout, kv.charset(), kv.lineEnding(), kv.maxLineLength(), null, false, null);
    }
}
