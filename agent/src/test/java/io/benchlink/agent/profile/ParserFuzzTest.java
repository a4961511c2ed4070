package io.benchlink.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.time.WallClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A bounded, seeded fuzz run: random bytes and mangled valid lines through framer, parser and tracker. */
class ParserFuzzTest {
    private static final long SEED = 20250828L;
    private static final int ROUNDS = 3000;
    private static final String[] FRAGMENTS = {"TEST=START", "MAC=", "SN=", "RESULT=PASS", "RESULT=FAIL", "ERROR=",
        "aa:bb:cc:dd:ee:ff", "{\"event\":\"pass\"", "{\"event\":\"start\"}", "{\"mac\":", "\"sn\":\"", "}", "\n", "\r",
        "\r\n", "\u0000", "=", "\uFFFD", "\u00e9"};

    @Test
    void neverThrowsAndOnlyProducesValidStatuses() throws Exception {
        for (Profile profile : List.of(BuiltinProfiles.kv(), BuiltinProfiles.jsonl())) {
            Random random = new Random(SEED);
            LineParser parser = profile.parser();
            TestTracker tracker = new TestTracker("fuzz-1", Duration.ofSeconds(5), WallClock.system());
            LineFramer framer = new LineFramer(profile.lineEnding(), profile.charset(), 256);
            List<DeviceStatus> out = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                byte[] chunk = random.nextBoolean() ? randomBytes(random) : mangled(random);
                framer.feed(chunk, 0, chunk.length, (line, cut) -> out.addAll(tracker.accept(parser.parse(line))));
            }
            assertThat(out).as("profile %s produced some results", profile.name()).isNotEmpty();
            assertThat(out).allSatisfy(s -> {
                assertThat(s.status().isResult()).isTrue();
                assertThat(s.timeStart()).isNotNull();
                assertThat(s.timeEnd()).isNotNull();
            });
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(600)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] mangled(Random random) {
        StringBuilder text = new StringBuilder();
        int parts = 1 + random.nextInt(12);
        for (int i = 0; i < parts; i++) {
            text.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
            if (random.nextInt(4) == 0) {
                text.append(Integer.toHexString(random.nextInt()));
            }
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
