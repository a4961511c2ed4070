package io.benchlink.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.config.SecurityConfig;
import io.benchlink.gateway.testing.CapturedLogs;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.HttpApi;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7 tokens: bound agent tokens, the tokens file and its reload, and no token in any log, metric or refusal. */
@Timeout(60)
class TokensIT {
    // Distinctive so a grep cannot match anything else.
    private static final String BOUND = "BoundTok-7f3a9c";
    private static final String FROM_FLAG_SUB = "FlagSubTok-51d2e8";
    private static final String FILE_SUB = "FileSubTok-c0ffee";
    private static final String FILE_AGENT = "FileAgentTok-beef42";
    private static final String NEW_SUB = "NewSubTok-a11ce5";
    private static final String WRONG = "WrongTok-deadbe";

    @TempDir
    Path dir;
    Path tokensFile;
    GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        tokensFile = dir.resolve("tokens.txt");
        Files.writeString(tokensFile, "# test tokens\nagent " + FILE_AGENT + "\nsubscriber " + FILE_SUB + "\n");
        Path data = Files.createDirectories(dir.resolve("data"));
        gateway = new GatewayFixture(data, c -> c.toBuilder().agentTokens(List.of("rig-07:" + BOUND))
                .subscriberTokens(List.of(FROM_FLAG_SUB))
                .security(new SecurityConfig(Duration.ofSeconds(5), 1000, tokensFile, null)).build()).withHttp();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private URI agents() {
        return gateway.uri("/ws/agents");
    }

    private int subscriberClose(String token) throws Exception {
        Subscriber s = new Subscriber(gateway.uri("/ws/devices/all?token=" + token));
        s.connectBlocking(10, TimeUnit.SECONDS); // false when the refusal closes it before connectBlocking returns
        // Admitted means registered with the hub; refused means closed right after the handshake.
        await().atMost(Duration.ofSeconds(20)).until(() -> s.isClosedYet() || gateway.gateway().hub().size() == 1);
        if (s.isClosedYet()) {
            return s.awaitClosed(Duration.ofSeconds(5)).code();
        }
        s.closeBlocking();
        await().until(() -> gateway.gateway().hub().size() == 0);
        return 0;
    }

    @Test
    void aBoundAgentTokenAdmitsOnlyItsAgentIdAndFileTokensWorkBesideFlagTokens() throws Exception {
        gateway.start();
        TestAgent own = TestAgent.hello(agents(), "rig-07", BOUND, List.of("b"));
        TestAgent other = new TestAgent(agents());
        other.connectBlocking(5, TimeUnit.SECONDS);
        other.send("{\"type\":\"hello\",\"agent_id\":\"rig-08\",\"token\":\"" + BOUND + "\",\"devices\":[]}");
        assertThat(other.awaitCloseCode()).isEqualTo(4401);
        TestAgent fromFile = TestAgent.hello(agents(), "rig-09", FILE_AGENT, List.of());
        assertThat(subscriberClose(FROM_FLAG_SUB)).isZero();
        assertThat(subscriberClose(FILE_SUB)).isZero();
        assertThat(subscriberClose(WRONG)).isEqualTo(4401);
        own.close();
        fromFile.close();
    }

    @Test
    void aReloadSwapsTheFileTokensAndABadFileKeepsTheTokensInForce() throws Exception {
        gateway.start();
        Credentials credentials = gateway.gateway().credentials();
        assertThat(subscriberClose(NEW_SUB)).isEqualTo(4401);
        Files.writeString(tokensFile, "subscriber " + NEW_SUB + "\n");
        assertThat(credentials.reload()).isTrue();
        assertThat(subscriberClose(NEW_SUB)).isZero();
        assertThat(subscriberClose(FILE_SUB)).isEqualTo(4401); // removed from the file
        assertThat(subscriberClose(FROM_FLAG_SUB)).isZero(); // flags stay
        Files.writeString(tokensFile, "subscriber " + FILE_SUB + "\nsubscrber typo\n");
        assertThat(credentials.reload()).isFalse();
        assertThat(subscriberClose(NEW_SUB)).isZero();
        // The HTTP side shares the same tokens.
        HttpApi api = new HttpApi(gateway);
        assertThat(api.get("/api/devices", "Authorization", "Bearer " + NEW_SUB).statusCode()).isEqualTo(200);
    }

    @Test
    void noTokenEverAppearsInLogsMetricsOrRefusals() throws Exception {
        List<String> seen = new ArrayList<>();
        try (CapturedLogs logs = new CapturedLogs()) {
            gateway.start();
            HttpApi api = new HttpApi(gateway);
            TestAgent own = TestAgent.hello(agents(), "rig-07", BOUND, List.of("b"));
            own.sendStatus(1, TestAgent.result("b", StatusKind.SUCCESS, "ok"));
            TestAgent wrong = new TestAgent(agents());
            wrong.connectBlocking(5, TimeUnit.SECONDS);
            wrong.send("{\"type\":\"hello\",\"agent_id\":\"rig-08\",\"token\":\"" + BOUND + "\",\"devices\":[]}");
            wrong.awaitCloseCode();
            seen.addAll(wrong.errors());
            Subscriber bad = new Subscriber(gateway.uri("/ws/devices/all?token=" + WRONG));
            bad.connectBlocking(5, TimeUnit.SECONDS);
            seen.add(bad.awaitClosed(Duration.ofSeconds(5)).reason());
            seen.add(api.get("/api/devices?token=" + WRONG).body());
            seen.add(api.post("/api/events", "{}", "Authorization", "Bearer " + WRONG).body());
            seen.add(api.get("/metrics", "Authorization", "Bearer " + FROM_FLAG_SUB).body());
            seen.add(gateway.gateway().config().toString());
            Files.writeString(tokensFile, "subscriber " + NEW_SUB + "\nagent bad id:" + WRONG + "\n");
            gateway.gateway().credentials().reload();
            own.close();
            gateway.close();
            seen.addAll(logs.lines());
        }
        assertThat(seen).hasSizeGreaterThan(10);
        for (String token : List.of(BOUND, FROM_FLAG_SUB, FILE_SUB, FILE_AGENT, NEW_SUB, WRONG)) {
            assertThat(seen).noneMatch(line -> line.contains(token));
        }
    }
}
