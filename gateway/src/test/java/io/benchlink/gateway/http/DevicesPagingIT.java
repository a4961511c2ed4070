package io.benchlink.gateway.http;

import static io.benchlink.gateway.testing.HttpApi.array;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.HttpApi;
import io.benchlink.gateway.testing.TestAgent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18: {@code GET /api/devices} in pages, for stores with tens of thousands of devices. */
@Timeout(60)
class DevicesPagingIT {
    @TempDir
    Path dir;
    GatewayFixture gateway;
    HttpApi api;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayFixture(dir).withHttp().start();
        api = new HttpApi(gateway);
        TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
        for (int i = 1; i <= 5; i++) {
            agent.sendStatus(i, TestAgent.result("dev-" + i, StatusKind.SUCCESS, "n" + i));
        }
        await().until(() -> agent.acked().size() == 5);
        agent.close();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void pagesThroughEveryDeviceInIdOrderAndTellsWhereTheNextPageStarts() throws Exception {
        HttpResponse<String> first = api.get("/api/devices?limit=2");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(ids(first)).containsExactly("dev-1", "dev-2");
        assertThat(first.headers().firstValue("Benchlink-Next-After")).hasValue("dev-2");
        assertThat(first.headers().firstValue("Benchlink-Latest-Seq"))
                .isEqualTo(api.get("/api/devices").headers().firstValue("Benchlink-Latest-Seq"));

        assertThat(ids(api.get("/api/devices?limit=2&after=dev-2"))).containsExactly("dev-3", "dev-4");
        HttpResponse<String> last = api.get("/api/devices?after=dev-4&limit=2");
        assertThat(ids(last)).containsExactly("dev-5");
        assertThat(last.headers().firstValue("Benchlink-Next-After")).isEmpty();
        assertThat(ids(api.get("/api/devices"))).hasSize(5); // no parameters: every device, as before
    }

    @Test
    void refusesALimitOutOfRangeAndAnInvalidAfterWith400() throws Exception {
        assertThat(api.get("/api/devices?limit=0").statusCode()).isEqualTo(400);
        assertThat(api.get("/api/devices?limit=10001").statusCode()).isEqualTo(400);
        assertThat(api.get("/api/devices?after=bad%20id").statusCode()).isEqualTo(400);
        assertThat(api.get("/api/devices?page=2").statusCode()).isEqualTo(400);
    }

    private static List<String> ids(HttpResponse<String> response) {
        return array(response).stream().map(o -> o.get("device_id").getAsString()).toList();
    }
}
