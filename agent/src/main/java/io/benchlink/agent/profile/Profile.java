package io.benchlink.agent.profile;

import io.benchlink.common.status.InvalidFieldException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * How one kind of tester's lines become statuses (PROTOCOL.md §6). For {@link Format#REGEX} each pattern is searched
 * in every line ({@code find}); {@code mac} must declare the named group {@code (?<mac>...)}, {@code serial} the
 * group {@code (?<serial>...)}, and pass/fail/error may declare {@code (?<result>...)} for the result text and
 * {@code mac}/{@code serial} groups too. {@link Format#JSONL} reads one JSON object per line with fixed keys
 * (docs/PROFILES.md). Immutable; validated in the constructor so an unusable profile cannot exist.
 *
 * @param testTimeout a test with no result after this long becomes {@code error}; null for none
 * @param maxLineLength bytes per line; longer lines are cut there
 * @param command text sent to the tester (line ending appended) on connect and/or every {@code commandEvery}
 */
public record Profile(
        String name,
        Format format,
        Pattern start,
        Pattern mac,
        Pattern serial,
        Pattern pass,
        Pattern fail,
        Pattern error,
        Duration testTimeout,
        Charset charset,
        LineEnding lineEnding,
        int maxLineLength,
        String command,
        boolean commandOnConnect,
        Duration commandEvery) {

    public static final int DEFAULT_MAX_LINE = 4096;
    public static final int MAX_MAX_LINE = 1 << 20;

    /** Whether lines are matched by the regexes or read as JSON objects. */
    public enum Format { REGEX, JSONL }

    public Profile {
        if (name == null || name.isBlank()) {
            throw new InvalidFieldException("name", name, "is required");
        }
        if (format == null) {
            throw new InvalidFieldException("format", null, "must be regex or jsonl");
        }
        if (format == Format.REGEX && pass == null && fail == null && error == null) {
            throw new InvalidFieldException("pass", null, "a regex profile needs at least one of pass, fail, error");
        }
        requireGroup("mac", mac, "mac");
        requireGroup("serial", serial, "serial");
        if (testTimeout != null && (testTimeout.isNegative() || testTimeout.toMillis() < 1000)) {
            throw new InvalidFieldException("test_timeout_s", testTimeout.toSeconds(), "must be at least 1");
        }
        charset = charset == null ? StandardCharsets.UTF_8 : charset;
        requireAsciiLineEnds(charset);
        lineEnding = lineEnding == null ? LineEnding.AUTO : lineEnding;
        if (maxLineLength < 16 || maxLineLength > MAX_MAX_LINE) {
            throw new InvalidFieldException("max_line_length", maxLineLength, "must be 16.." + MAX_MAX_LINE);
        }
        validateCommand(command, commandOnConnect, commandEvery);
    }

    /** A fresh parser for this profile; parsers are cheap and stateless apart from their compiled patterns. */
    public LineParser parser() {
        return format == Format.JSONL ? new JsonLineParser() : new RegexLineParser(this);
    }

    public byte[] commandBytes() {
        byte[] text = command.getBytes(charset);
        byte[] suffix = lineEnding.suffixBytes();
        byte[] out = Arrays.copyOf(text, text.length + suffix.length);
        System.arraycopy(suffix, 0, out, text.length, suffix.length);
        return out;
    }

    /** True if {@code pattern}'s source declares the named group (Java 17 has no API to list group names). */
    static boolean declaresGroup(Pattern pattern, String group) {
        return pattern != null && pattern.pattern().contains("(?<" + group + ">");
    }

    private static void requireGroup(String field, Pattern pattern, String group) {
        if (pattern != null && !declaresGroup(pattern, group)) {
            throw new InvalidFieldException(field, pattern.pattern(), "must declare the named group (?<" + group
                    + ">...)");
        }
    }

    private static void requireAsciiLineEnds(Charset charset) {
        // The framer splits raw bytes on CR/LF, which is only right for charsets that encode them as one byte.
        if (!Arrays.equals("\r\n".getBytes(charset), new byte[] {'\r', '\n'})) {
            throw new InvalidFieldException("charset", charset.name(),
                    "must encode CR and LF as single bytes (e.g. UTF-8, ISO-8859-1, windows-1251)");
        }
    }

    private static void validateCommand(String command, boolean onConnect, Duration every) {
        if (every != null && every.toMillis() < 1000) {
            throw new InvalidFieldException("command_every_s", every.toSeconds(), "must be at least 1");
        }
        if (command == null && (onConnect || every != null)) {
            throw new InvalidFieldException("command", null,
                    "is required when command_on_connect or command_every_s is set");
        }
        if (command != null && !onConnect && every == null) {
            throw new InvalidFieldException("command", command, "needs command_on_connect or command_every_s");
        }
    }
}
