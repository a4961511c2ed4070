package io.benchlink.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.HttpApi;
import io.benchlink.gateway.testing.PostgresServer;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: an agent's identity holds across two real gateways on one PostgreSQL: the welcome after a failover
 * reports what any gateway committed (before, it came from the new gateway's writer memory, loaded at its start),
 * and a POST retried with its Idempotency-Key at the other gateway stores nothing twice.
 */
@Timeout(120)
class MarksAndKeysAcrossGatewaysIT {
    private static final String STATUS = "{\"mac_address\":\"aa-bb-cc-dd-ee-0f\",\"serial_number\":\"SN-9\","
            + "\"status\":\"success\",\"time_start\":\"2025-08-28T14:52:34.615642\","
            + "\"time_end\":\"2025-08-28T14:54:52.029134\",\"result\":\"pushed over http\",\"device_id\":\"%s\"}";

    @TempDir
    Path dir;
    String url;
    GatewayFixture a;
    GatewayFixture b;

    @BeforeEach
    void start() throws Exception {
        url = PostgresServer.shared().createDatabase();
        a = gateway("a").withHttp().start();
        b = gateway("b").withHttp().start(); // started before anything is stored: its writer knows no agent mark
    }

    private GatewayFixture gateway(String name) {
        return new GatewayFixture(dir.resolve(name),
                c -> c.toBuilder().store(url).offlineGrace(Duration.ofSeconds(2)).build());
    }

    @AfterEach
    void stop() {
        b.close();
        a.close();
    }

    @Test
    void anAgentWhoseGatewayStopsIsWelcomedAtTheOtherWithTheLastSeqAnyGatewayCommittedAndItsResendIsStoredOnce()
            throws Exception {
        Subscriber onB = Subscriber.connect(b.uri("/ws/devices/all"));
        TestAgent first = TestAgent.hello(a.uri("/ws/agents"), "rig-1", null, List.of("bench-1"));
        for (int i = 1; i <= 20; i++) {
            first.sendStatus(i, TestAgent.result("bench-1", StatusKind.SUCCESS, "r-" + i));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> first.acked().size() == 20);
        a.close();

        TestAgent second = TestAgent.hello(b.uri("/ws/agents"), "rig-1", null, List.of("bench-1"));
        assertThat(second.lastSeq()).isEqualTo(20);
        second.sendStatus(20, TestAgent.result("bench-1", StatusKind.SUCCESS, "r-20")); // its ack was lost
        second.sendStatus(21, TestAgent.result("bench-1", StatusKind.SUCCESS, "r-21"));
        await().atMost(Duration.ofSeconds(10)).until(() -> second.acked().containsAll(List.of(20L, 21L)));
        await().atMost(Duration.ofSeconds(10)).until(() -> onB.count() >= 21);
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);

        assertThat(onB.received()).extracting(o -> o.get("result").getAsString())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 21).mapToObj(i -> "r-" + i).toList());
        assertThat(onB.seqs()).isSorted().doesNotHaveDuplicates();
        second.close();
        onB.close();
    }

    @Test
    void aPostRetriedWithItsIdempotencyKeyAtTheOtherGatewayStoresOneEventAndGetsTheSameAnswer() throws Exception {
        HttpResponse<String> created = new HttpApi(a).post("/api/events", STATUS.formatted("press-1"),
                "Idempotency-Key", "order-42");
        HttpResponse<String> retried = new HttpApi(b).post("/api/events", STATUS.formatted("press-1"),
                "Idempotency-Key", "order-42");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(retried.body()).isEqualTo(created.body());
        List<JsonObject> stored = HttpApi.array(new HttpApi(b).get("/api/events"));
        assertThat(stored).extracting(o -> o.get("seq").getAsLong())
                .containsExactly(HttpApi.object(created).get("seq").getAsLong());
    }
}
