package io.benchlink.common.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OneLineTest {
    @Test
    void lineBreaksAndOtherWhitespaceBecomeOneSpace() {
        assertThat(OneLine.of(" a\r\nforged: line\t\tb ", 100)).isEqualTo("a forged: line b");
    }

    @Test
    void longTextIsCutWithAnEllipsisAndNeverSplitsASurrogatePair() {
        assertThat(OneLine.of("x".repeat(50), 40)).isEqualTo("x".repeat(40) + "...");
        assertThat(OneLine.of("x".repeat(39) + "\uD83D\uDE00yz", 40)).isEqualTo("x".repeat(39) + "...");
    }

    @Test
    void nullIsEmpty() {
        assertThat(OneLine.of(null, 10)).isEmpty();
    }
}
