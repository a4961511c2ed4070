package io.benchlink.agent.bench;

import io.benchlink.agent.profile.BuiltinProfiles;
import io.benchlink.agent.profile.LineFramer;
import io.benchlink.agent.profile.LineParser;
import io.benchlink.agent.profile.Profile;
import io.benchlink.agent.profile.TestTracker;
import io.benchlink.agent.simulate.SimulatedTester;
import io.benchlink.agent.simulate.SimulationSettings;
import io.benchlink.common.time.WallClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Load tool (not a test): lines per second through the agent's whole per-line path (framing of raw bytes,
 * profile parsing, test tracking and status building) for each built-in profile, on simulated tester output.
 * Run by scripts/bench-agent-parse.sh; prints one line per profile with the median of the measured rounds.
 */
public final class ParseBench {
    private static final int LINES = 200_000;
    private static final int WARMUP = 5;
    private static final int ROUNDS = 7;

    private ParseBench() {
    }

    public static void main(String[] args) throws Exception {
        for (Profile profile : new Profile[] {BuiltinProfiles.kv(), BuiltinProfiles.jsonl()}) {
            byte[] input = input(profile.name());
            double[] rates = new double[ROUNDS];
            long statuses = 0;
            for (int round = -WARMUP; round < ROUNDS; round++) {
                long[] count = new long[2];
                long start = System.nanoTime();
                run(profile, input, count);
                double seconds = (System.nanoTime() - start) / 1e9;
                if (round >= 0) {
                    rates[round] = count[0] / seconds;
                    statuses = count[1];
                }
            }
            Arrays.sort(rates);
            System.out.printf(Locale.ROOT,
                    "profile=%s lines=%d statuses/round=%d median=%.0f lines/s min=%.0f max=%.0f%n",
                    profile.name(), LINES, statuses, rates[ROUNDS / 2], rates[0], rates[ROUNDS - 1]);
        }
    }

    private static void run(Profile profile, byte[] input, long[] count) throws InterruptedException {
        LineParser parser = profile.parser();
        TestTracker tracker = new TestTracker("bench-1", null, WallClock.system());
        LineFramer framer = new LineFramer(profile.lineEnding(), profile.charset(), profile.maxLineLength());
        // feed in 4 KiB chunks, like reads from a port
        for (int off = 0; off < input.length; off += 4096) {
            framer.feed(input, off, Math.min(4096, input.length - off), (line, cut) -> {
                count[0]++;
                count[1] += tracker.accept(parser.parse(line)).size();
            });
        }
    }

    private static byte[] input(String format) {
        SimulatedTester tester = new SimulatedTester(new SimulationSettings(format, 1, 0.1, 0.02, 1, 0));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int lines = 0;
        while (lines < LINES) {
            for (String line : tester.nextTest()) {
                out.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
                lines++;
            }
        }
        return out.toByteArray();
    }
}
