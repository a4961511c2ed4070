package io.benchlink.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.protocol.CloseCodes;
import io.benchlink.gateway.testing.ManualScheduler;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketListener;
import org.java_websocket.drafts.Draft_6455;
import org.junit.jupiter.api.Test;

/**
 * A subscriber connection as the hub sees it, without a socket: the backlog it reports (messages of our items still
 * in the library's out-queue, oldest leaving first) and the drop of a closed peer that does not read its close
 * frame once the grace period has passed. The neighbours are fakes: a connection with no channel, a scheduler that
 * only records.
 */
class ConnectionOutletTest {
    /** A WebSocket whose {@code isClosed()} is what the test says; records {@code closeConnection} calls. */
    private static final class FakeConnection {
        boolean closed;
        final List<String> closeConnections = new ArrayList<>();
        final WebSocket socket = (WebSocket) Proxy.newProxyInstance(WebSocket.class.getClassLoader(),
                new Class<?>[] {WebSocket.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isClosed" -> closed;
                    case "closeConnection" -> closeConnections.add(args[0] + " " + args[1]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static WebSocketImpl unconnected() {
        WebSocketListener listener = (WebSocketListener) Proxy.newProxyInstance(
                WebSocketListener.class.getClassLoader(), new Class<?>[] {WebSocketListener.class},
                (proxy, method, args) -> null);
        return new WebSocketImpl(listener, new Draft_6455());
    }

    @Test
    void theBacklogCountsMessagesOfOurItemsStillQueuedOldestLeavingFirst() {
        WebSocketImpl connection = unconnected();
        ConnectionOutlet outlet = new ConnectionOutlet(connection, null, new ManualScheduler());
        assertThat(outlet.backlog()).isZero();

        outlet.send(ByteBuffer.allocate(1), 3);
        outlet.send(ByteBuffer.allocate(1), 5);
        outlet.send(ByteBuffer.allocate(1), 1);
        assertThat(outlet.backlog()).isEqualTo(9);
        assertThat(connection.outQueue).hasSize(3);

        connection.outQueue.poll(); // the selector wrote the oldest item
        assertThat(outlet.backlog()).isEqualTo(6);
        outlet.send(ByteBuffer.allocate(1), 2);
        assertThat(outlet.backlog()).isEqualTo(8);
        connection.outQueue.clear();
        assertThat(outlet.backlog()).isZero();
    }

    @Test
    void anUnconnectedOutletIsNotOpenAndNamesItsPeer() {
        WebSocketImpl connection = unconnected();
        ConnectionOutlet outlet = new ConnectionOutlet(connection, null, new ManualScheduler());

        assertThat(outlet.isOpen()).isFalse();
        assertThat(outlet.toString()).isEqualTo(String.valueOf(connection.getRemoteSocketAddress()));
    }

    @Test
    void aClosedPeerThatHasNotReadItsCloseFrameIsDroppedAfterTheGracePeriod() {
        ManualScheduler scheduler = new ManualScheduler();
        FakeConnection connection = new FakeConnection();

        ConnectionOutlet.dropLater(connection.socket, CloseCodes.TRY_AGAIN_LATER, "fell behind", scheduler);

        assertThat(scheduler.delays).containsExactly(ConnectionOutlet.CLOSE_GRACE_MILLIS);
        assertThat(connection.closeConnections).as("not before the grace period").isEmpty();
        scheduler.runNext();
        assertThat(connection.closeConnections).containsExactly(CloseCodes.TRY_AGAIN_LATER + " "
                + CloseCodes.reason("fell behind"));
    }

    @Test
    void aPeerThatClosedWithinTheGracePeriodIsLeftAlone() {
        ManualScheduler scheduler = new ManualScheduler();
        FakeConnection connection = new FakeConnection();
        ConnectionOutlet.dropLater(connection.socket, CloseCodes.TRY_AGAIN_LATER, "fell behind", scheduler);

        connection.closed = true;
        scheduler.runNext();

        assertThat(connection.closeConnections).isEmpty();
    }

    @Test
    void closeSendsTheCloseFrameAndSchedulesTheDrop() {
        ManualScheduler scheduler = new ManualScheduler();
        WebSocketImpl connection = unconnected();
        ConnectionOutlet outlet = new ConnectionOutlet(connection, null, scheduler);

        outlet.close(CloseCodes.TRY_AGAIN_LATER, "fell behind");

        assertThat(scheduler.delays).containsExactly(ConnectionOutlet.CLOSE_GRACE_MILLIS);
        assertThat(connection.isClosing() || connection.isClosed()).isTrue();
    }
}
