package io.benchlink.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.time.WallClock;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GoodbyeFrameTest {
    private final AgentFrameCodec codec = new AgentFrameCodec(WallClock.system());
    private final LocalDateTime now = LocalDateTime.of(2025, 8, 28, 14, 54, 58);

    @Test
    void encodesTheGoodbyeAsTheProtocolReferenceShowsIt() {
        assertThat(codec.encode(new Goodbye("agent stopped")))
                .isEqualTo("{\"type\":\"goodbye\",\"reason\":\"agent stopped\"}");
        assertThat(codec.encode(new Goodbye(null))).isEqualTo("{\"type\":\"goodbye\"}");
    }

    @Test
    void decodesAGoodbyeWithOrWithoutAReason() throws FrameException {
        assertThat(codec.decode("{\"type\":\"goodbye\",\"reason\":\"agent stopped\"}", now))
                .isEqualTo(new Goodbye("agent stopped"));
        assertThat(codec.decode("{\"type\":\"goodbye\"}", now)).isEqualTo(new Goodbye(null));
        assertThat(codec.decode("{\"type\":\"goodbye\",\"reason\":null,\"extra\":1}", now))
                .isEqualTo(new Goodbye(null));
    }

    @Test
    void roundTripsAGoodbye() throws FrameException {
        Goodbye goodbye = new Goodbye("SIGTERM");
        assertThat(codec.decode(codec.encode(goodbye), now)).isEqualTo(goodbye);
    }

    @Test
    void aWelcomeListsTheGoodbyeAndAWelcomeWithoutFeaturesOffersNone() throws FrameException {
        Welcome offering = new Welcome(41, List.of(Welcome.GOODBYE));
        assertThat(codec.encode(offering))
                .isEqualTo("{\"type\":\"welcome\",\"last_seq\":41,\"features\":[\"goodbye\"]}");
        assertThat(codec.decode(codec.encode(offering), now)).isEqualTo(offering);
        assertThat(((Welcome) codec.decode(codec.encode(offering), now)).offers(Welcome.GOODBYE)).isTrue();
        Welcome old = (Welcome) codec.decode("{\"type\":\"welcome\",\"last_seq\":41}", now);
        assertThat(old.offers(Welcome.GOODBYE)).isFalse();
        assertThat(codec.encode(old)).isEqualTo("{\"type\":\"welcome\",\"last_seq\":41}");
    }

    @Test
    void aWelcomeIgnoresFeaturesItDoesNotKnowAndRefusesABadList() throws FrameException {
        Welcome newer = (Welcome) codec.decode("{\"type\":\"welcome\",\"last_seq\":1,\"features\":[\"x\",\"goodbye\"]}",
                now);
        assertThat(newer.offers(Welcome.GOODBYE)).isTrue();
        assertThatThrownBy(() -> codec.decode("{\"type\":\"welcome\",\"last_seq\":1,\"features\":\"goodbye\"}", now))
                .isInstanceOf(FrameException.class).hasMessageContaining("features");
        assertThatThrownBy(() -> codec.decode("{\"type\":\"welcome\",\"last_seq\":1,\"features\":[1]}", now))
                .isInstanceOf(FrameException.class).hasMessageContaining("features");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"goodbye\",\"reason\":7}", "{\"type\":\"goodbye\",\"reason\":[\"x\"]}"})
    void aGoodbyeWithABadReasonBecomesAOneLineFrameException(String text) {
        assertThatThrownBy(() -> codec.decode(text, now))
                .isInstanceOf(FrameException.class)
                .hasMessageContaining("reason")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aReasonLongerThanTheLimitIsRefused() {
        String tooLong = "x".repeat(Goodbye.MAX_REASON_CHARS + 1);
        assertThatThrownBy(() -> codec.decode("{\"type\":\"goodbye\",\"reason\":\"" + tooLong + "\"}", now))
                .isInstanceOf(FrameException.class)
                .hasMessageContaining("at most " + Goodbye.MAX_REASON_CHARS);
        assertThat(new Goodbye("x".repeat(Goodbye.MAX_REASON_CHARS)).reason()).hasSize(Goodbye.MAX_REASON_CHARS);
    }
}
