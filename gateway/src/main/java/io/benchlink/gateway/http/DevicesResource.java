package io.benchlink.gateway.http;

import io.benchlink.common.status.DeviceId;
import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.Snapshot;
import io.benchlink.gateway.store.StoredEvent;
import java.io.IOException;
import java.util.Set;

/**
 * {@code GET /api/devices} and {@code GET /api/devices/{id}} (CONTRACT §4): the last status of every device, or
 * of one. Answers carry {@code Benchlink-Latest-Seq}, the seq the snapshot is consistent with, so a poller can
 * continue with {@code /api/events?since=} from there without a gap. Stateless.
 */
final class DevicesResource {
    static final String PREFIX = "/api/devices/";
    private final EventStore store;

    DevicesResource(EventStore store) {
        this.store = store;
    }

    void list(HttpCall call) throws IOException {
        call.query(Set.of());
        Snapshot snapshot = store.snapshot(null);
        call.setHeader("Benchlink-Latest-Seq", Long.toString(snapshot.highWater()));
        call.json(200, EventsResource.array(snapshot.devices()));
    }

    void one(HttpCall call) throws IOException {
        call.query(Set.of());
        String id = call.path().substring(PREFIX.length());
        if (!DeviceId.isValid(id)) {
            throw HttpError.badRequest("invalid device_id: must be 1-64 characters of A-Z a-z 0-9 . _ -,"
                    + " not \"all\"");
        }
        Snapshot snapshot = store.snapshot(id);
        if (snapshot.devices().isEmpty()) {
            throw new HttpError(404, "unknown device " + id);
        }
        StoredEvent last = snapshot.devices().get(0);
        call.setHeader("Benchlink-Latest-Seq", Long.toString(snapshot.highWater()));
        call.json(200, last.json());
    }
}
