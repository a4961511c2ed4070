package io.benchlink.gateway.store.sqlite;

import io.benchlink.common.json.StatusJson;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import java.nio.file.Path;
import java.time.LocalDateTime;

/** Issue 18: a store with many devices (dev-00001...), written through the writer's session. */
public final class SeededDevices {
    private SeededDevices() {
    }

    /** Their last statuses have seqs 1..devices in reverse id order, so id order and seq order differ. */
    public static void seed(Path dir, int devices) {
        try (SqliteEventStore store = SqliteEventStore.open(dir); WriteSession session = store.openWriter()) {
            session.load();
            long seq = session.begin();
            for (int i = devices; i >= 1; i--) {
                String device = String.format("dev-%05d", i);
                DeviceStatus status = new DeviceStatus("AA:BB:CC:DD:EE:01", "SN-" + i, StatusKind.SUCCESS, null, null,
                        LocalDateTime.of(2026, 1, 2, 3, 4, 5), "ok " + i, device, ++seq);
                session.append(new StoredEvent(seq, device, StatusKind.SUCCESS, StatusJson.toJson(status)), "ok " + i,
                        null, 0, System.currentTimeMillis());
            }
            session.commit(seq);
        }
    }
}
