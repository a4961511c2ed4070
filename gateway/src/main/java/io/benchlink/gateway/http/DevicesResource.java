package io.benchlink.gateway.http;

import io.benchlink.common.status.DeviceId;
import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.Snapshot;
import io.benchlink.gateway.store.StoredEvent;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/devices} and {@code GET /api/devices/{id}} (PROTOCOL.md §4): the last status of every device, or
 * of one. Answers carry {@code Benchlink-Latest-Seq}, the seq the snapshot is consistent with, so a poller can
 * continue with {@code /api/events?since=} from there without a gap. Stateless.
 */
final class DevicesResource {
    static final String PREFIX = "/api/devices/";
    static final int MAX_PAGE = 10_000;
    static final int STREAM_PAGE = 1_000;
    private static final Set<String> PAGE_PARAMS = Set.of("limit", "after");
    private final EventStore store;

    DevicesResource(EventStore store) {
        this.store = store;
    }

    /**
     * Without parameters every device (PROTOCOL.md §4), streamed (below). Issue 18: with {@code limit} (1-10,000)
     * and optionally {@code after=DEVICE_ID}, one page in device id order; a full page carries
     * {@code Benchlink-Next-After}, the id to pass as {@code after} for the next one. A poller continues with
     * {@code /api/events?since=} the first page's {@code Benchlink-Latest-Seq}: a device that changes while it pages
     * then arrives again through the events.
     */
    void list(HttpCall call) throws IOException {
        Map<String, String> params = call.query(PAGE_PARAMS);
        if (params.isEmpty()) {
            stream(call);
            return;
        }
        int limit = Query.inRange(params, "limit", MAX_PAGE, 1, MAX_PAGE);
        String after = params.get("after");
        if (after != null && !DeviceId.isValid(after)) {
            throw HttpError.badRequest("invalid after: must be a device_id");
        }
        Snapshot snapshot = store.devicesAfter(after, limit);
        if (snapshot.devices().size() == limit) {
            call.setHeader("Benchlink-Next-After", snapshot.devices().get(limit - 1).deviceId());
        }
        call.setHeader("Benchlink-Latest-Seq", Long.toString(snapshot.highWater()));
        call.json(200, EventsResource.array(snapshot.devices()));
    }

    /**
     * Issue 18: every device, written while it is read: pages of {@value #STREAM_PAGE} in device id order, the first
     * on the wire before the second is read, so the first byte does not wait for 50,000 devices and the heap holds
     * one page, not the whole answer. {@code Benchlink-Latest-Seq} is the first page's high-water seq: a device that
     * changes while the answer is written may already show the newer status, which then also comes through
     * {@code /api/events?since=} that seq (no gap; as with paging).
     */
    private void stream(HttpCall call) throws IOException {
        Snapshot page = store.devicesAfter(null, STREAM_PAGE);
        call.setHeader("Benchlink-Latest-Seq", Long.toString(page.highWater()));
        try (Writer out = new OutputStreamWriter(call.stream(200, HttpCall.JSON), StandardCharsets.UTF_8)) {
            out.write('[');
            boolean first = true;
            while (true) {
                StringBuilder text = new StringBuilder(page.devices().size() * 300);
                for (StoredEvent device : page.devices()) {
                    if (!first) {
                        text.append(',');
                    }
                    text.append(device.json());
                    first = false;
                }
                out.write(text.toString());
                if (page.devices().size() < STREAM_PAGE) {
                    break;
                }
                out.flush();
                page = store.devicesAfter(page.devices().get(STREAM_PAGE - 1).deviceId(), STREAM_PAGE);
            }
            out.write(']');
        }
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
