package io.benchlink.common.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogEscapeTest {
    @Test
    void lineBreaksTabsAndTerminalEscapesAreWrittenVisibly() {
        assertThat(LogEscape.escape("a\r\nb\tc\u001b[31md\u0000\u007f"))
                .isEqualTo("a\\r\\nb\\tc\\x1b[31md\\x00\\x7f");
    }

    @Test
    void unicodeLineEndsC1ControlsAndBidiOverridesAreEscapedToo() {
        assertThat(LogEscape.escape("a\u0085b\u009bc\u2028d\u2029e\u202ef\u2066g"))
                .isEqualTo("a\\x85b\\x9bc\\u2028d\\u2029e\\u202ef\\u2066g");
    }

    @Test
    void ordinaryTextIsReturnedAsItIs() {
        String text = "rig-07 - hello from C:\\ProgramData\\benchlink (Ünïcode, 日本)";
        assertThat(LogEscape.escape(text)).isSameAs(text);
        assertThat(LogEscape.escape(null)).isNull();
    }
}
