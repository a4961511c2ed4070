package io.benchlink.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFramerTest {
    private final List<String> lines = new ArrayList<>();
    private final List<Boolean> cut = new ArrayList<>();

    private void feed(LineFramer framer, byte[] data) throws InterruptedException {
        framer.feed(data, 0, data.length, (text, truncated) -> {
            lines.add(text);
            cut.add(truncated);
        });
    }

    private void feed(LineFramer framer, String text) throws InterruptedException {
        feed(framer, text.getBytes(StandardCharsets.UTF_8));
    }

    private static LineFramer auto(int max) {
        return new LineFramer(LineEnding.AUTO, StandardCharsets.UTF_8, max);
    }

    @Test
    void splitsLfCrlfAndCrOnlyEndingsAlikeInAutoMode() throws Exception {
        feed(auto(100), "one\ntwo\r\nthree\rfour\r\r\n\n");
        assertThat(lines).containsExactly("one", "two", "three", "four");
    }

    @Test
    void joinsALineSplitAcrossReads() throws Exception {
        LineFramer framer = auto(100);
        feed(framer, "RESULT=");
        assertThat(lines).isEmpty();
        feed(framer, "PASS ok\n");
        assertThat(lines).containsExactly("RESULT=PASS ok");
    }

    @Test
    void dropsNulBytes() throws Exception {
        feed(auto(100), new byte[] {0, 'M', 0, 'A', 'C', 0, '\n', 0, 0, '\n'});
        assertThat(lines).containsExactly("MAC");
    }

    @Test
    void replacesInvalidUtf8WithReplacementCharacter() throws Exception {
        feed(auto(100), new byte[] {'S', 'N', '=', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 'x', '\n'});
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("SN=").endsWith("x").contains("\uFFFD");
    }

    @Test
    void cutsAnOverlongLineOnceAndResumesAtTheNextLineEnd() throws Exception {
        LineFramer framer = auto(4096);
        byte[] huge = new byte[1 << 20];
        Arrays.fill(huge, (byte) 'x');
        feed(framer, huge);
        feed(framer, huge);
        feed(framer, "\nRESULT=PASS\n");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).hasSize(4096);
        assertThat(cut).containsExactly(true, false);
        assertThat(lines.get(1)).isEqualTo("RESULT=PASS");
        assertThat(framer.truncatedLines()).isEqualTo(1);
    }

    @Test
    void lfModeKeepsBareCrInsideALineOut() throws Exception {
        feed(new LineFramer(LineEnding.LF, StandardCharsets.UTF_8, 100), "a\rb\r\nc\n");
        assertThat(lines).containsExactly("ab", "c");
    }

    @Test
    void crModeEndsLinesOnlyAtCr() throws Exception {
        feed(new LineFramer(LineEnding.CR, StandardCharsets.UTF_8, 100), "a\nb\rc\r");
        assertThat(lines).containsExactly("ab", "c");
    }

    @Test
    void resetForgetsAPartialLine() throws Exception {
        LineFramer framer = auto(100);
        feed(framer, "partial");
        framer.reset();
        feed(framer, "whole\n");
        assertThat(lines).containsExactly("whole");
    }

    @Test
    void decodesWithTheProfileCharset() throws Exception {
        LineFramer framer = new LineFramer(LineEnding.AUTO, java.nio.charset.Charset.forName("windows-1251"), 100);
        feed(framer, new byte[] {(byte) 0xCE, (byte) 0xCA, '\n'});
        assertThat(lines).containsExactly("ОК");
    }

    @Test
    void aBufferOfOneByteIsTheSmallestAllowed() throws Exception {
        LineFramer one = new LineFramer(LineEnding.AUTO, StandardCharsets.UTF_8, 1);
        List<String> got = new ArrayList<>();
        one.feed("a\n".getBytes(StandardCharsets.UTF_8), 0, 2, (text, truncated) -> got.add(text));
        assertThat(got).containsExactly("a");
        assertThatThrownBy(() -> new LineFramer(LineEnding.AUTO, StandardCharsets.UTF_8, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxBytes must be positive");
    }
}
