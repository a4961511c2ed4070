package io.benchlink.gateway.app;

import io.benchlink.gateway.testing.GatewayCli;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --store} (issue 15): a PostgreSQL URL from a flag or the config file, its password never printed. */
class StoreOptionTest {
    @TempDir
    Path dir;

    @Test
    void printsTheStoreWithItsPasswordMasked() {
        GatewayCli.Result result = GatewayCli.run("--store", "jdbc:postgresql://db1:5432/benchlink?user=gw&password=s3cret", "--print-config");
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("store=jdbc:postgresql://db1:5432/benchlink?user=gw&password=****")
                .doesNotContain("s3cret");
    }

    @Test
    void takesTheStoreFromTheConfigFile() throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, "{\"store\": \"jdbc:postgresql://db1/benchlink?user=gw\"}");
        assertThat(GatewayCli.run("--config", file.toString(), "--print-config").out())
                .contains("store=jdbc:postgresql://db1/benchlink?user=gw");
    }

    @Test
    void theEmbeddedStoreIsTheDefault() {
        assertThat(GatewayCli.run("--print-config").out()).contains("store=embedded (data_dir)");
    }

    @Test
    void refusesAStoreThatIsNotAPostgresqlUrlWithExit2AndOneLine() {
        GatewayCli.Result result = GatewayCli.run("--store", "mysql://db1/x?password=s3cret", "--print-config");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err().strip()).doesNotContain("\n").contains("--store must be jdbc:postgresql://")
                .doesNotContain("s3cret");
    }
}
