package io.benchlink.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.sqlite.SqliteEventStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed commit must not let a later status of the same agent raise its high-water mark: the gateway takes any
 * seq at or below that mark for a duplicate, so the failed status's resend would be acknowledged and never stored.
 * The fault is a real SQLite error, raised by a trigger the test arms on the store's own file.
 */
@Timeout(30)
class StoreWriterFenceIT {
    @TempDir
    Path dir;

    private EventStore store;
    private StoreWriter writer;
    private final BlockingQueue<String> receipts = new LinkedBlockingQueue<>();
    private final WriteCommand.Receipt receipt = new WriteCommand.Receipt() {
        @Override
        public void stored(long agentSeq) {
            receipts.add("stored " + agentSeq);
        }

        @Override
        public void failed(long agentSeq, String reason) {
            receipts.add("failed " + agentSeq);
        }
    };

    @AfterEach
    void close() {
        if (writer != null) {
            writer.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /** Starts the writer, lets agent seq 1 fail on the armed fault, then disarms it: the disk works again. */
    private void startWriterWhoseFirstCommitFails(Connection fault) throws Exception {
        writer = new StoreWriter(store, WallClock.system(), Duration.ofDays(30), 100, events -> { });
        writer.start();
        submit(1);
        assertThat(next()).isEqualTo("failed 1");
        disarm(fault);
    }

    @Test
    void statusesQueuedBehindAFailedCommitWaitForTheResendOfTheFailedOne() throws Exception {
        store = SqliteEventStore.open(dir);
        try (Connection fault = armedFault()) {
            startWriterWhoseFirstCommitFails(fault);

            submit(2); // was queued behind seq 1 on the same link
            assertThat(next()).isEqualTo("failed 2");
            assertThat(writer.agentHighWater("rig-1")).isZero();

            submit(1); // the agent's next link resends from welcome.last_seq + 1, in order
            submit(2);
            assertThat(next()).isEqualTo("stored 1");
            assertThat(next()).isEqualTo("stored 2");
        }
        assertThat(store.eventsAfter(0, null, 10)).extracting(StoredEvent::json)
                .satisfiesExactly(json -> assertThat(json).contains("SN-1"), json -> assertThat(json).contains("SN-2"));
        assertThat(writer.agentHighWater("rig-1")).isEqualTo(2);
    }

    @Test
    void aNewHelloLiftsTheFenceSoAnAgentWithARenumberedSpoolIsNotStuck() throws Exception {
        store = SqliteEventStore.open(dir);
        try (Connection fault = armedFault()) {
            startWriterWhoseFirstCommitFails(fault);

            // The agent lost its spool: after the welcome it renumbers above the gateway's mark, far above seq 1.
            assertThat(writer.submit(new WriteCommand.NewLink("rig-1"))).isTrue();
            submit(1001);
            assertThat(next()).isEqualTo("stored 1001");
        }
    }

    private Connection armedFault() throws Exception {
        Connection fault = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteEventStore.FILE_NAME));
        try (Statement sql = fault.createStatement()) {
            sql.execute("PRAGMA busy_timeout = 5000");
            sql.execute("CREATE TABLE fault(armed INTEGER NOT NULL)");
            sql.execute("INSERT INTO fault VALUES (1)");
            sql.execute("CREATE TRIGGER injected BEFORE INSERT ON events WHEN (SELECT armed FROM fault) = 1"
                    + " BEGIN SELECT RAISE(ABORT, 'injected disk fault'); END");
        }
        return fault;
    }

    private static void disarm(Connection fault) throws Exception {
        try (Statement sql = fault.createStatement()) {
            sql.execute("UPDATE fault SET armed = 0");
        }
    }

    private void submit(long seq) {
        LocalDateTime now = LocalDateTime.now();
        String mac = String.format("AA:BB:CC:DD:EE:%02X", seq & 0xFF);
        DeviceStatus status = new DeviceStatus(mac, "SN-" + seq, StatusKind.SUCCESS, now, now, now, "result " + seq,
                "bench-1", 0);
        assertThat(writer.submit(new WriteCommand.AgentStatus("rig-1", seq, status, receipt))).isTrue();
    }

    private String next() throws InterruptedException {
        String next = receipts.poll(10, TimeUnit.SECONDS);
        assertThat(next).as("receipt within 10 s").isNotNull();
        return next;
    }
}
