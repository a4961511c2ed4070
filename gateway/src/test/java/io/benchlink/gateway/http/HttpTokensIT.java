package io.benchlink.gateway.http;

import static io.benchlink.gateway.testing.HttpApi.object;
import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.HttpApi;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class HttpTokensIT {
    private static final String STATUS = "{\"status\":\"online\",\"device_id\":\"press-1\"}";

    @TempDir
    Path dir;
    GatewayFixture gateway;
    HttpApi api;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayFixture(dir, c -> c.toBuilder().agentTokens(List.of("agent-secret")).subscriberTokens(List.of("reader-secret"))
                .build()).withHttp().start();
        api = new HttpApi(gateway);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void readEndpointsNeedASubscriberTokenAsHeaderOrQueryParameter() throws Exception {
        for (String path : List.of("/api/devices", "/api/devices/press-1", "/api/events", "/metrics",
                "/api/summary")) {
            HttpResponse<String> none = api.get(path);
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).as(path).hasValue("Bearer");
            assertThat(object(none).get("error").getAsString()).isEqualTo("token required");
            assertThat(api.get(path, "Authorization", "Bearer wrong").statusCode()).as(path).isEqualTo(401);
            assertThat(api.get(path, "Authorization", "Bearer agent-secret").statusCode()).as(path).isEqualTo(401);
            int expected = path.endsWith("press-1") ? 404 : 200;
            assertThat(api.get(path, "Authorization", "Bearer reader-secret").statusCode()).as(path)
                    .isEqualTo(expected);
            String withToken = path + (path.contains("?") ? "&" : "?") + "token=reader-secret";
            assertThat(api.get(withToken).statusCode()).as(withToken).isEqualTo(expected);
        }
    }

    @Test
    void postNeedsAnAgentToken() throws Exception {
        assertThat(api.post("/api/events", STATUS).statusCode()).isEqualTo(401);
        assertThat(api.post("/api/events", STATUS, "Authorization", "Bearer reader-secret").statusCode())
                .isEqualTo(401);
        assertThat(api.post("/api/events", STATUS, "Authorization", "Bearer agent-secret").statusCode())
                .isEqualTo(201);
        assertThat(api.get("/api/devices/press-1", "Authorization", "Bearer reader-secret").statusCode())
                .isEqualTo(200);
    }

    @Test
    void healthAndTheDashboardPageStayOpen() throws Exception {
        assertThat(api.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(api.get("/").statusCode()).isEqualTo(200);
        assertThat(api.get("/dashboard/app.js").statusCode()).isEqualTo(200);
    }
}
