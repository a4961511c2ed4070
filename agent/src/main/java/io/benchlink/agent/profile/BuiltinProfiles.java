package io.benchlink.agent.profile;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The profiles that ship with the agent (PROTOCOL.md §6), documented with sample input in docs/PROFILES.md. */
public final class BuiltinProfiles {
    public static final String KV = "kv";
    public static final String JSONL = "jsonl";

    private BuiltinProfiles() {
    }

    public static List<String> names() {
        return List.of(KV, JSONL);
    }

    public static Optional<Profile> byName(String name) {
        if (KV.equals(name)) {
            return Optional.of(kv());
        }
        if (JSONL.equals(name)) {
            return Optional.of(jsonl());
        }
        return Optional.empty();
    }

    /**
     * {@code KEY=VALUE} lines: {@code TEST=START}, {@code MAC=..}, {@code SN=..}, {@code RESULT=PASS|FAIL|ERROR text};
     * keys are case-insensitive and may share a line ({@code MAC=.. SN=.. RESULT=PASS}).
     */
    public static Profile kv() {
        return new Profile(KV, Profile.Format.REGEX,
                Pattern.compile("(?i)\\bTEST\\s*=\\s*START\\b"),
                Pattern.compile("(?i)\\bMAC\\s*=\\s*(?<mac>[0-9A-F][0-9A-F:.\\-]{10,16})"),
                Pattern.compile("(?i)\\b(?:SN|SERIAL)\\s*=\\s*(?<serial>[^\\s,;]{1,128})"),
                Pattern.compile("(?i)\\bRESULT\\s*=\\s*PASS\\b[\\s,;:]*(?<result>.*)"),
                Pattern.compile("(?i)\\bRESULT\\s*=\\s*FAIL\\b[\\s,;:]*(?<result>.*)"),
                Pattern.compile("(?i)(?:\\bRESULT\\s*=\\s*ERROR\\b|\\bERROR\\s*=)[\\s,;:]*(?<result>.*)"),
                null, StandardCharsets.UTF_8, LineEnding.AUTO, Profile.DEFAULT_MAX_LINE, null, false, null);
    }

    /** One JSON object per line: {@code {"event":"start"}}, {@code {"event":"pass","mac":..,"sn":..,"message":..}}. */
    public static Profile jsonl() {
        return new Profile(JSONL, Profile.Format.JSONL, null, null, null, null, null, null,
                null, StandardCharsets.UTF_8, LineEnding.AUTO, Profile.DEFAULT_MAX_LINE, null, false, null);
    }
}
