package io.benchlink.agent.profile;

import io.benchlink.common.status.StatusKind;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@link Profile.Format#REGEX} parser: searches each of the profile's patterns in the line, within a budget of
 * character reads per line ({@link BudgetedText}) so a pathological user regex cannot stall the reader. Stateless.
 */
final class RegexLineParser implements LineParser {
    /** Far above what sane patterns need on a maximal line (a few reads per character per pattern). */
    static final long STEP_BUDGET_PER_CHAR = 2_000;
    static final long MIN_STEP_BUDGET = 1_000_000;

    private final Profile profile;
    private final Outcome[] outcomes;

    private record Outcome(Pattern pattern, StatusKind kind, boolean hasResult, boolean hasMac, boolean hasSerial) {
        static Outcome of(Pattern pattern, StatusKind kind) {
            return pattern == null ? null : new Outcome(pattern, kind, Profile.declaresGroup(pattern, "result"),
                    Profile.declaresGroup(pattern, "mac"), Profile.declaresGroup(pattern, "serial"));
        }
    }

    RegexLineParser(Profile profile) {
        this.profile = profile;
        this.outcomes = new Outcome[] {
            Outcome.of(profile.pass(), StatusKind.SUCCESS),
            Outcome.of(profile.fail(), StatusKind.FAIL),
            Outcome.of(profile.error(), StatusKind.ERROR),
        };
    }

    @Override
    public LineFacts parse(String text) {
        CharSequence line = new BudgetedText(text, Math.max(MIN_STEP_BUDGET, STEP_BUDGET_PER_CHAR * text.length()));
        boolean start = profile.start() != null && profile.start().matcher(line).find();
        String mac = group(profile.mac(), line, "mac");
        String serial = group(profile.serial(), line, "serial");
        for (Outcome outcome : outcomes) {
            if (outcome == null) {
                continue;
            }
            Matcher m = outcome.pattern().matcher(line);
            if (m.find()) {
                String result = outcome.hasResult() ? m.group("result") : null;
                result = result == null || result.isBlank() ? text.trim() : result.trim();
                mac = mac == null && outcome.hasMac() ? m.group("mac") : mac;
                serial = serial == null && outcome.hasSerial() ? m.group("serial") : serial;
                return new LineFacts(start, mac, serial, outcome.kind(), result);
            }
        }
        return start || mac != null || serial != null ? new LineFacts(start, mac, serial, null, null) : LineFacts.NONE;
    }

    private static String group(Pattern pattern, CharSequence line, String name) {
        if (pattern == null) {
            return null;
        }
        Matcher m = pattern.matcher(line);
        return m.find() ? m.group(name) : null;
    }
}
