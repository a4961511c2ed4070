package io.benchlink.agent.simulate;

import io.benchlink.common.status.InvalidFieldException;

/**
 * What a simulated tester emits: output {@code format} ({@code kv} or {@code jsonl}), pace, outcome mix and seed.
 *
 * @param testsPerSecond how many tests start per second (0.001..10000)
 * @param failRatio share of tests that fail; {@code errorRatio} share that report an error; the rest pass
 * @param maxTests stop after this many tests (the tester then stays connected and silent); 0 = never stop
 */
public record SimulationSettings(String format, double testsPerSecond, double failRatio, double errorRatio, long seed,
        long maxTests) {
    public static final SimulationSettings DEFAULT = new SimulationSettings("kv", 1.0, 0.1, 0.02, 1, 0);

    public SimulationSettings {
        if (!"kv".equals(format) && !"jsonl".equals(format)) {
            throw new InvalidFieldException("format", format, "must be kv or jsonl");
        }
        if (!(testsPerSecond >= 0.001 && testsPerSecond <= 10_000)) {
            throw new InvalidFieldException("tests_per_second", testsPerSecond, "must be 0.001..10000");
        }
        if (!(failRatio >= 0 && errorRatio >= 0 && failRatio + errorRatio <= 1)) {
            throw new InvalidFieldException("fail_ratio", failRatio, "and error_ratio must be >= 0 with a sum <= 1");
        }
        if (maxTests < 0) {
            throw new InvalidFieldException("max_tests", maxTests, "must be >= 0");
        }
    }

    /** Nanoseconds between the starts of two tests. */
    long testPeriodNanos() {
        return (long) (1_000_000_000L / testsPerSecond);
    }
}
