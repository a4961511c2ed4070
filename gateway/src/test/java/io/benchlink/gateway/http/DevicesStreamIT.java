package io.benchlink.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.benchlink.gateway.app.Gateway;
import io.benchlink.gateway.store.PageRecordingStore;
import io.benchlink.gateway.store.sqlite.SeededDevices;
import io.benchlink.gateway.store.sqlite.SqliteEventStore;
import io.benchlink.gateway.testing.GatewayFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: {@code GET /api/devices} without parameters is written while it is read, a page of the store at a time,
 * so its first byte does not wait for every device and the heap never holds the whole answer.
 */
@Timeout(60)
class DevicesStreamIT {
    private static final int DEVICES = 2_500; // two and a half pages

    @TempDir
    Path dir;

    @Test
    void everyDeviceArrivesInIdOrderAsAnAnswerOfUnknownLengthReadAPageAtATime() throws Exception {
        SeededDevices.seed(dir, DEVICES);
        PageRecordingStore[] store = new PageRecordingStore[1];
        try (Gateway gateway = Gateway.start(GatewayFixture.withPorts(GatewayFixture.defaults(dir), 0, 0),
                c -> store[0] = new PageRecordingStore(SqliteEventStore.open(c.dataDir())))) {
            store[0].forget(); // the start-up's own read
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.httpPort() + "/api/devices")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Length")).as("streamed: no length known up front")
                    .isEmpty();
            assertThat(answer.headers().firstValue("Content-Type")).hasValue(HttpCall.JSON);
            // the latest seq: the clock's floor once the start-up's first (empty) sweep committed it
            assertThat(Long.parseLong(answer.headers().firstValue("Benchlink-Latest-Seq").orElseThrow()))
                    .isGreaterThanOrEqualTo(DEVICES);
            List<String> ids = new ArrayList<>();
            JsonArray devices = JsonParser.parseString(answer.body()).getAsJsonArray();
            for (JsonElement device : devices) {
                ids.add(device.getAsJsonObject().get("device_id").getAsString());
            }
            assertThat(ids).hasSize(DEVICES).doesNotHaveDuplicates().isSorted();
            assertThat(ids.get(0)).isEqualTo("dev-00001");
            assertThat(store[0].largestDeviceRead()).as("devices read by one store call")
                    .isLessThanOrEqualTo(DevicesResource.STREAM_PAGE);
        }
    }

    @Test
    void anEmptyStoreAnswersAnEmptyArray() throws Exception {
        try (Gateway gateway = Gateway.start(GatewayFixture.withPorts(GatewayFixture.defaults(dir), 0, 0))) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.httpPort() + "/api/devices")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("[]");
        }
    }
}
