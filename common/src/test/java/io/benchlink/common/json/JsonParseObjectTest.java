package io.benchlink.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParseException;
import org.junit.jupiter.api.Test;

class JsonParseObjectTest {
    @Test
    void acceptsAWideObjectWithManyMoreSiblingObjectsThanTheDepthLimit() {
        StringBuilder text = new StringBuilder("{\"devices\":[");
        for (int i = 0; i < 3 * Json.MAX_DEPTH; i++) {
            text.append(i == 0 ? "" : ",").append("{\"device_id\":\"d").append(i).append("\",\"usb\":{\"vid\":\"0403\"}}");
        }
        text.append("]}");
        assertThat(Json.parseObject(text.toString()).getAsJsonArray("devices")).hasSize(3 * Json.MAX_DEPTH);
    }

    @Test
    void acceptsNestingUpToTheLimit() {
        String text = "{\"a\":".repeat(Json.MAX_DEPTH - 1) + "{}" + "}".repeat(Json.MAX_DEPTH - 1);
        assertThat(Json.parseObject(text).has("a")).isTrue();
    }

    @Test
    void refusesNestingDeeperThanTheLimitWithAMessageSayingSo() {
        String text = "{\"a\":".repeat(Json.MAX_DEPTH) + "{}" + "}".repeat(Json.MAX_DEPTH);
        assertThatThrownBy(() -> Json.parseObject(text)).isInstanceOf(JsonParseException.class)
                .hasMessageContaining("nesting deeper than " + Json.MAX_DEPTH).hasMessageNotContaining("\n");
    }

    @Test
    void refusesHostileNestingWithoutExhaustingTheStack() {
        String text = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> Json.parseObject("{\"a\":" + text + "}"))
                .isInstanceOf(JsonParseException.class).hasMessageContaining("nesting deeper than");
    }

    @Test
    void ignoresBracketsInsideStrings() {
        String text = "{\"a\":\"" + "{[".repeat(50) + "\"}";
        assertThat(Json.parseObject(text).get("a").getAsString()).hasSize(100);
    }
}
