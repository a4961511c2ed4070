package io.benchlink.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrictObjectTest {
    @TempDir
    Path dir;

    private static StrictObject object(String json, Path file) {
        return new StrictObject(Json.parseObject(json.replace('\'', '"')), "", file);
    }

    @Test
    void anUnknownKeyNamesTheKeyTheFileAndTheAllowedKeys() {
        Path file = Path.of("gateway.json");
        assertThatThrownBy(() -> object("{'port':1,'prot':2}", file).allowOnly(Set.of("port", "bind")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown key \"prot\" in gateway.json (allowed: bind, port)");
    }

    @Test
    void aWrongTypeNamesThePathInsideTheFile() {
        StrictObject root = object("{'usb':{'vid':4}}", null);
        assertThatThrownBy(() -> root.child("usb").string("vid"))
                .hasMessage("usb.vid must be a string (got 4)");
    }

    @Test
    void integersAreNeverRoundedOrWrapped() {
        StrictObject root = object("{'a':1.5,'b':4294967296,'c':7}", null);
        assertThatThrownBy(() -> root.integer("a")).hasMessageContaining("a must be an integer");
        assertThatThrownBy(() -> root.int32("b")).hasMessageContaining("b must be an integer in range");
        assertThat(root.int32("c")).isEqualTo(7);
        assertThat(root.int32("missing")).isNull();
    }

    @Test
    void readsAFileWithAByteOrderMarkAndRefusesANonObject() throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "\uFEFF{\"a\":true}");
        assertThat(StrictObject.readObject(file).get("a").getAsBoolean()).isTrue();
        Files.writeString(file, "[1]");
        assertThatThrownBy(() -> StrictObject.readObject(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + " is not a JSON object");
        assertThatThrownBy(() -> StrictObject.readObject(dir.resolve("none.json")))
                .hasMessageStartingWith("cannot read " + dir.resolve("none.json"));
    }
}
