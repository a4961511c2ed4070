package io.benchlink.agent.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Generates the output of a realistic tester, one test at a time, in the {@code kv} or {@code jsonl} built-in
 * format: a start line, MAC and serial number lines, a few measurement lines, then pass, fail or error. The same
 * seed gives the same sequence. Owned by: whichever single thread drives the simulation.
 */
public final class SimulatedTester {
    private static final String[] FAILS = {"check 7 (supply current) out of range", "check 3 (RF power) low",
        "check 11 (flash verify) mismatch"};
    private static final String[] ERRORS = {"fixture not closed", "DUT not responding", "calibration expired"};

    private final SimulationSettings settings;
    private final Random random;
    private long tests;

    public SimulatedTester(SimulationSettings settings) {
        this.settings = settings;
        this.random = new Random(settings.seed());
    }

    /** True while more tests are to come ({@code max_tests} not yet reached). */
    public boolean hasNext() {
        return settings.maxTests() == 0 || tests < settings.maxTests();
    }

    /** The lines of the next test, without line endings. */
    public List<String> nextTest() {
        tests++;
        String mac = mac();
        String serial = String.format(Locale.ROOT, "SN-%06d", tests);
        double roll = random.nextDouble();
        String outcome = roll < settings.errorRatio() ? "error"
                : roll < settings.errorRatio() + settings.failRatio() ? "fail" : "pass";
        String text = "pass".equals(outcome) ? "all 12 checks passed"
                : "fail".equals(outcome) ? FAILS[random.nextInt(FAILS.length)] : ERRORS[random.nextInt(ERRORS.length)];
        double volts = 3.2 + random.nextDouble() * 0.2;
        return "jsonl".equals(settings.format()) ? jsonl(mac, serial, outcome, text, volts)
                : kv(mac, serial, outcome, text, volts);
    }

    public long testsStarted() {
        return tests;
    }

    private static List<String> kv(String mac, String serial, String outcome, String text, double volts) {
        List<String> lines = new ArrayList<>(6);
        lines.add("TEST=START");
        lines.add("MAC=" + mac);
        lines.add("SN=" + serial);
        lines.add(String.format(Locale.ROOT, "MEAS VCC=%.3f", volts));
        lines.add("RESULT=" + outcome.toUpperCase(Locale.ROOT) + " " + text);
        return lines;
    }

    private static List<String> jsonl(String mac, String serial, String outcome, String text, double volts) {
        List<String> lines = new ArrayList<>(4);
        lines.add("{\"event\":\"start\"}");
        lines.add("{\"event\":\"info\",\"mac\":\"" + mac + "\",\"sn\":\"" + serial + "\"}");
        lines.add(String.format(Locale.ROOT, "{\"event\":\"measure\",\"vcc\":%.3f}", volts));
        lines.add("{\"event\":\"" + outcome + "\",\"message\":\"" + text + "\"}");
        return lines;
    }

    private String mac() {
        StringBuilder out = new StringBuilder("02");
        for (int i = 0; i < 5; i++) {
            out.append(':').append(String.format(Locale.ROOT, "%02X", random.nextInt(256)));
        }
        return out.toString();
    }
}
