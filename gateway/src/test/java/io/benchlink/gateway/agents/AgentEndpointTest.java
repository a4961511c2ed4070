package io.benchlink.gateway.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.protocol.AgentFrameCodec;
import io.benchlink.common.protocol.StatusFrame;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.testing.TestClock;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.auth.TokenCheck;
import io.benchlink.gateway.protocol.CloseCodes;
import io.benchlink.gateway.store.MemoryStore;
import io.benchlink.gateway.store.StoreWriter;
import io.benchlink.gateway.store.StoredEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent side of PROTOCOL.md §3 on one link at a time: hello/welcome, status → store → ack, goodbye, and the
 * refusals (error frame, then the contract's close code). The connection is a recording fake; the store writer is
 * the real one on an in-memory session.
 */
class AgentEndpointTest {
    private static final int MAX_FRAME = 400;

    private final TestClock time = new TestClock(Instant.parse("2026-03-02T08:00:00Z"));
    private final WallClock clock = new WallClock(time);
    private final AgentFrameCodec codec = new AgentFrameCodec(clock);
    private final MemoryStore store = new MemoryStore().committedMark("rig-1", 41);
    private final List<StoredEvent> published = new CopyOnWriteArrayList<>();
    private final StoreWriter writer = new StoreWriter(store, clock, Duration.ofDays(30), 100, published::addAll);
    private final AgentLinksTest.ManualTimers timers = new AgentLinksTest.ManualTimers();
    private final AgentLinks links = new AgentLinks(timers, Duration.ofSeconds(3), writer::submit, clock);
    private TokenCheck tokens = TokenCheck.forAgents(List.of());
    private AgentEndpoint endpoint = endpoint(2, 1000);

    private AgentEndpoint endpoint(int maxAgents, int maxRate) {
        return new AgentEndpoint(codec, clock, writer, links, tokens, MAX_FRAME, maxAgents, maxRate);
    }

    @AfterEach
    void stopWriter() {
        writer.close();
    }

    private static String hello(String agentId, String token, String... devices) {
        StringBuilder list = new StringBuilder();
        for (String device : devices) {
            list.append(list.length() == 0 ? "" : ",").append('"').append(device).append('"');
        }
        return "{\"type\":\"hello\",\"agent_id\":\"" + agentId + "\",\"token\":" + (token == null ? "null"
                : "\"" + token + "\"") + ",\"devices\":[" + list + "]}";
    }

    private String status(long seq, String deviceId, StatusKind kind) {
        LocalDateTime now = clock.now();
        return codec.encode(new StatusFrame(seq, new DeviceStatus("AA:BB:CC:DD:EE:01", "SN-" + seq, kind, now, now,
                now, "result " + seq, deviceId, 0)));
    }

    private AgentSession helloOk(RecordingSocket socket, String agentId, String... devices) {
        AgentSession session = endpoint.message(socket, null, hello(agentId, null, devices));
        assertThat(session).isNotNull();
        return session;
    }

    private static void assertRefused(RecordingSocket socket, int code, String reason) {
        assertThat(socket.sent()).last().asString().isEqualTo("{\"type\":\"error\",\"message\":\"" + reason + "\"}");
        assertThat(socket.closeCode).isEqualTo(code);
        assertThat(socket.closeReason).isEqualTo(reason);
    }

    @Test
    void aHelloIsWelcomedWithTheAgentsCommittedSeqAndTheGoodbyeFeature() {
        RecordingSocket socket = new RecordingSocket();
        AgentSession session = helloOk(socket, "rig-1", "bench-1");

        assertThat(socket.sent()).containsExactly("{\"type\":\"welcome\",\"last_seq\":41,\"features\":[\"goodbye\"]}");
        assertThat(session.agentId()).isEqualTo("rig-1");
        assertThat(session.devices()).containsExactly("bench-1");
        assertThat(links.connected()).isEqualTo(1);
        assertThat(socket.isOpen()).isTrue();
    }

    @Test
    void aNewAgentIsWelcomedWithZero() {
        RecordingSocket socket = new RecordingSocket();
        helloOk(socket, "rig-new");

        assertThat(socket.sent()).first().asString().contains("\"last_seq\":0");
    }

    @Test
    void aStatusIsAcknowledgedOnlyOnceStoredAndCountedByKind() {
        writer.start();
        RecordingSocket socket = new RecordingSocket();
        AgentSession session = helloOk(socket, "rig-1", "bench-1");
        AtomicLong latency = new AtomicLong(-1);
        endpoint.observeAckLatency(latency::set);
        endpoint.message(socket, session, status(42, "bench-1", StatusKind.FAIL));

        await().atMost(Duration.ofSeconds(10)).until(() -> socket.sent().size() == 2);
        assertThat(socket.sent().get(1)).isEqualTo("{\"type\":\"ack\",\"seq\":42}");
        assertThat(published).extracting(StoredEvent::deviceId).containsExactly("bench-1");
        assertThat(endpoint.received()).isEqualTo(1);
        assertThat(endpoint.receivedByStatus().get(StatusKind.FAIL)).isEqualTo(1);
        assertThat(latency.get()).isNotNegative();
        assertThat(writer.agentHighWater("rig-1")).isEqualTo(42);
    }

    @Test
    void aRepeatedSeqIsAcknowledgedAgainButStoredOnce() {
        writer.start();
        RecordingSocket socket = new RecordingSocket();
        AgentSession session = helloOk(socket, "rig-1", "bench-1");
        endpoint.message(socket, session, status(41, "bench-1", StatusKind.SUCCESS));

        await().atMost(Duration.ofSeconds(10)).until(() -> socket.sent().size() == 2);
        assertThat(socket.sent().get(1)).isEqualTo("{\"type\":\"ack\",\"seq\":41}");
        assertThat(published).isEmpty();
    }

    @Test
    void aFailedCommitClosesTheLinkWith1011AndSendsNoAck() {
        RecordingSocket socket = new RecordingSocket();
        AgentSession session = helloOk(socket, "rig-1", "bench-1");
        endpoint.message(socket, session, status(42, "bench-1", StatusKind.SUCCESS));
        store.failCommits(1);
        writer.start(); // the hello's and the status's commands are one batch: its commit fails

        await().atMost(Duration.ofSeconds(10)).until(() -> !socket.isOpen());
        assertThat(socket.closeCode).isEqualTo(CloseCodes.SERVER_ERROR);
        assertThat(socket.closeReason).isEqualTo("store unavailable");
        assertThat(socket.sent()).hasSize(1);
    }

    @Test
    void aWrongTokenIsRefusedWith4401AndHoldsNoSlot() {
        tokens = TokenCheck.forAgents(List.of("secret"));
        endpoint = endpoint(1, 1000);
        RecordingSocket wrong = new RecordingSocket();

        assertThat(endpoint.message(wrong, null, hello("rig-1", "guess"))).isNull();
        assertRefused(wrong, CloseCodes.UNAUTHORIZED, "missing or wrong token");
        RecordingSocket none = new RecordingSocket();
        assertThat(endpoint.message(none, null, hello("rig-1", null))).isNull();
        assertRefused(none, CloseCodes.UNAUTHORIZED, "missing or wrong token");

        assertThat(endpoint.message(new RecordingSocket(), null, hello("rig-1", "secret"))).isNotNull();
    }

    @Test
    void aBoundTokenIsAcceptedOnlyInItsOwnAgentsHello() {
        tokens = TokenCheck.forAgents(List.of("rig-1:secret"));
        endpoint = endpoint(2, 1000);
        RecordingSocket other = new RecordingSocket();

        assertThat(endpoint.message(other, null, hello("rig-2", "secret"))).isNull();
        assertThat(other.closeCode).isEqualTo(CloseCodes.UNAUTHORIZED);
        assertThat(endpoint.message(new RecordingSocket(), null, hello("rig-1", "secret"))).isNotNull();
    }

    @Test
    void pastTheAgentLimitAHelloIsRefusedWith1013UntilALinkCloses() {
        endpoint = endpoint(1, 1000);
        AgentSession first = helloOk(new RecordingSocket(), "rig-1");
        RecordingSocket second = new RecordingSocket();

        assertThat(endpoint.message(second, null, hello("rig-2", null))).isNull();
        assertRefused(second, CloseCodes.TRY_AGAIN_LATER, "agent connection limit reached");

        endpoint.closed(first);
        assertThat(endpoint.message(new RecordingSocket(), null, hello("rig-2", null))).isNotNull();
    }

    @Test
    void aLinkClosedBeforeItsHelloFreesNoSlot() {
        endpoint = endpoint(1, 1000);
        helloOk(new RecordingSocket(), "rig-1");
        endpoint.closed(null);

        RecordingSocket second = new RecordingSocket();
        assertThat(endpoint.message(second, null, hello("rig-2", null))).isNull();
        assertThat(second.closeCode).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
    }

    @Test
    void aSecondLinkOfTheSameAgentReplacesTheFirstWith1000() {
        RecordingSocket older = new RecordingSocket();
        AgentSession first = helloOk(older, "rig-1", "bench-1");
        RecordingSocket newer = new RecordingSocket();
        helloOk(newer, "rig-1", "bench-1");

        assertThat(older.closeCode).isEqualTo(CloseCodes.NORMAL);
        assertThat(older.closeReason).isEqualTo("replaced by a newer link from the same agent_id");
        endpoint.closed(first); // the old link's close callback
        timers.runAll();
        assertThat(links.connected()).as("the newer link stays current").isEqualTo(1);
        assertThat(newer.isOpen()).isTrue();
    }

    @Test
    void aHelloSentTwiceOnOneLinkIsRefusedWith1008() {
        RecordingSocket socket = new RecordingSocket();
        AgentSession session = helloOk(socket, "rig-1");

        assertThat(endpoint.message(socket, session, hello("rig-1", null))).isSameAs(session);
        assertRefused(socket, CloseCodes.POLICY, "hello sent twice on one link");
    }

    @Test
    void aStatusBeforeTheHelloIsRefusedWith1008() {
        RecordingSocket socket = new RecordingSocket();
        endpoint.message(socket, null, status(1, "bench-1", StatusKind.SUCCESS));

        assertRefused(socket, CloseCodes.POLICY, "status before hello");
    }

    @Test
    void aGoodbyeBeforeTheHelloIsRefusedWith1008() {
        RecordingSocket socket = new RecordingSocket();
        endpoint.message(socket, null, "{\"type\":\"goodbye\"}");

        assertRefused(socket, CloseCodes.POLICY, "goodbye before hello");
    }

    @Test
    void aGoodbyeClosesWith1000AndTakesTheDevicesOfflineAtOnce() {
        writer.start();
        RecordingSocket socket = new RecordingSocket();
        AgentSession session = helloOk(socket, "rig-1", "bench-1");
        endpoint.message(socket, session, "{\"type\":\"goodbye\",\"reason\":\"shutdown\\r\\nforged\"}");

        assertThat(socket.closeCode).isEqualTo(CloseCodes.NORMAL);
        assertThat(socket.closeReason).isEqualTo("goodbye");
        await().atMost(Duration.ofSeconds(10)).until(() -> published.stream()
                .anyMatch(e -> e.status() == StatusKind.OFFLINE && e.json().contains(AgentLinks.STOPPED)));
        assertThat(timers.delays()).as("no grace period").isEmpty();
    }

    @Test
    void aFrameThatIsNotJsonIsRefusedWith1008AndTheCodecsReason() {
        RecordingSocket socket = new RecordingSocket();
        endpoint.message(socket, null, "not json");

        assertThat(socket.closeCode).isEqualTo(CloseCodes.POLICY);
        assertThat(socket.sent()).singleElement().asString().startsWith("{\"type\":\"error\",\"message\":\"");
    }

    @Test
    void aGatewayFrameSentByAnAgentIsRefusedWith1008() {
        RecordingSocket socket = new RecordingSocket();
        AgentSession session = helloOk(socket, "rig-1");
        endpoint.message(socket, session, "{\"type\":\"ack\",\"seq\":1}");

        assertRefused(socket, CloseCodes.POLICY, "unexpected frame from an agent");
    }

    @Test
    void aBinaryFrameIsRefusedWith1008() {
        RecordingSocket socket = new RecordingSocket();
        endpoint.binary(socket, helloOk(socket, "rig-1"));

        assertRefused(socket, CloseCodes.POLICY, "binary frames are not part of the agent protocol");
    }

    @Test
    void aFrameOfExactlyTheLimitIsReadAndOneByteMoreIsRefused() {
        String base = hello("rig-1", null);
        String fits = base.replace("\"devices\"", " ".repeat(MAX_FRAME - base.length()) + "\"devices\"");
        assertThat(fits).hasSize(MAX_FRAME);
        assertThat(endpoint.message(new RecordingSocket(), null, fits)).isNotNull();

        RecordingSocket socket = new RecordingSocket();
        endpoint.message(socket, null, fits.replace("{", "{ "));
        assertRefused(socket, CloseCodes.POLICY, "frame larger than " + MAX_FRAME + " bytes");
    }

    @Test
    void theLimitCountsUtf8BytesNotCharacters() {
        String base = hello("rig-1", null);
        // each 'ж' is 2 bytes: fewer characters than the limit, more bytes
        String padded = base.replace("\"devices\"", "\"x\":\"" + "ж".repeat(MAX_FRAME / 2) + "\",\"devices\"");
        assertThat(padded.length()).isLessThan(MAX_FRAME + MAX_FRAME / 2);
        RecordingSocket socket = new RecordingSocket();
        endpoint.message(socket, null, padded);

        assertThat(socket.closeCode).isEqualTo(CloseCodes.POLICY);
        assertThat(socket.closeReason).startsWith("frame larger than");
    }

    @Test
    void aFrameOfFewCharactersButManyBytesWithinTheLimitIsRead() {
        String base = hello("rig-1", null);
        String padded = base.replace("\"devices\"",
                "\"x\":\"" + "ж".repeat((MAX_FRAME - base.length() - 7) / 2) + "\",\"devices\"");
        RecordingSocket socket = new RecordingSocket();
        endpoint.message(socket, null, padded);

        assertThat(socket.closeCode).as(socket.sent().toString()).isNotEqualTo(CloseCodes.POLICY);
    }

    @Test
    void statusesOverTheRateAreRefusedWith1013AndNotStored() {
        endpoint = endpoint(2, 1);
        RecordingSocket socket = new RecordingSocket();
        AgentSession session = helloOk(socket, "rig-1", "bench-1");
        int queued = writer.queueDepth();
        endpoint.message(socket, session, status(42, "bench-1", StatusKind.SUCCESS));
        endpoint.message(socket, session, status(43, "bench-1", StatusKind.SUCCESS));

        assertRefused(socket, CloseCodes.TRY_AGAIN_LATER, "more than 1 statuses per second; resend later");
        assertThat(endpoint.received()).isEqualTo(1);
        assertThat(writer.queueDepth()).as("status 42 only").isEqualTo(queued + 1);
    }

    @Test
    void aStatusForADeviceOfAnotherConnectedAgentIsRefusedAloneAndTheLinkStaysOpen() {
        RecordingSocket owner = new RecordingSocket();
        helloOk(owner, "rig-1", "bench-1");
        RecordingSocket intruder = new RecordingSocket();
        AgentSession session = helloOk(intruder, "rig-2");
        endpoint.message(intruder, session, status(5, "bench-1", StatusKind.SUCCESS));

        assertThat(intruder.sent()).last().asString().contains("\"type\":\"error\"", "\"seq\":5",
                "\"device_id\":\"bench-1\"", "\"message\":\"bench-1 is owned by rig-1\"");
        assertThat(intruder.isOpen()).isTrue();
        assertThat(endpoint.received()).isZero();
    }

    @Test
    void whileStoppingStatusesAreNeitherStoredNorRefused() {
        RecordingSocket socket = new RecordingSocket();
        AgentSession session = helloOk(socket, "rig-1", "bench-1");
        int queued = writer.queueDepth();
        endpoint.stopAccepting();
        endpoint.message(socket, session, status(42, "bench-1", StatusKind.SUCCESS));

        assertThat(writer.queueDepth()).isEqualTo(queued);
        assertThat(socket.isOpen()).isTrue();
        assertThat(socket.sent()).hasSize(1);
    }

    @Test
    void aStatusArrivingOnAClosingLinkIsNotStored() {
        RecordingSocket socket = new RecordingSocket();
        AgentSession session = helloOk(socket, "rig-1", "bench-1");
        int queued = writer.queueDepth();
        socket.dropped();
        endpoint.message(socket, session, status(42, "bench-1", StatusKind.SUCCESS));

        assertThat(writer.queueDepth()).isEqualTo(queued);
        assertThat(endpoint.received()).isZero();
    }

    @Test
    void aStoppedWriterMakesTheStatusRefusedWith1013() {
        RecordingSocket socket = new RecordingSocket();
        AgentSession session = helloOk(socket, "rig-1", "bench-1");
        writer.close();
        endpoint.message(socket, session, status(42, "bench-1", StatusKind.SUCCESS));

        assertRefused(socket, CloseCodes.TRY_AGAIN_LATER, "gateway overloaded; resend later");
    }

    @Test
    void anAgentWithoutAHelloInTimeGetsAnErrorAnd1008() {
        RecordingSocket socket = new RecordingSocket();
        endpoint.noHello(socket, "no hello within 10 s");

        assertRefused(socket, CloseCodes.POLICY, "no hello within 10 s");
    }

    @Test
    void aRefusalOnAnAlreadyClosedLinkSendsNothing() {
        RecordingSocket socket = new RecordingSocket();
        socket.dropped();
        endpoint.refuse(socket, null, CloseCodes.POLICY, "whatever");

        assertThat(socket.sent()).isEmpty();
    }

    @Test
    void peerTextInALogLineIsOneShortPrintableLine() {
        assertThat(AgentEndpoint.oneLine("rig\r\n\u001b[31mforged")).isEqualTo("rig [31mforged");
        assertThat(AgentEndpoint.oneLine("x".repeat(200))).startsWith("x".repeat(80)).hasSizeLessThan(90);
    }
}
