package io.benchlink.gateway.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresLocationTest {
    private static final String URL = "jdbc:postgresql://db1:5432/benchlink?user=gw";

    @TempDir
    Path dir;

    @Test
    void takesThePasswordFromTheEnvironment() {
        PostgresLocation location = PostgresLocation.of(URL, Map.of(PostgresLocation.PASSWORD_ENV, "s3cret"));
        assertThat(location.password()).isEqualTo("s3cret");
        assertThat(location.toString()).doesNotContain("s3cret");
    }

    @Test
    void takesThePasswordFromTheFileTheEnvironmentNamesWithoutItsNewline() throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, "s3cret\n");
        PostgresLocation location = PostgresLocation.of(URL, Map.of(PostgresLocation.PASSWORD_FILE_ENV, file.toString()));
        assertThat(location.password()).isEqualTo("s3cret");
    }

    @Test
    void anUnreadablePasswordFileIsOneLineNamingTheVariable() {
        assertThatThrownBy(() -> PostgresLocation.of(URL,
                Map.of(PostgresLocation.PASSWORD_FILE_ENV, dir.resolve("missing").toString())))
                .hasMessageStartingWith(PostgresLocation.PASSWORD_FILE_ENV).hasMessageNotContaining("\n");
    }

    @Test
    void withoutAPasswordTheServerOrPgpassDecides() {
        assertThat(PostgresLocation.of(URL, Map.of()).password()).isNull();
    }

    @Test
    void masksAPasswordWrittenInTheUrl() {
        PostgresLocation location = PostgresLocation.of(URL + "&password=s3cret&ssl=true", Map.of());
        assertThat(location.passwordInUrl()).isTrue();
        assertThat(location.redacted()).isEqualTo(URL + "&password=****&ssl=true");
    }

    @Test
    void refusesWhatIsNotAPostgresqlUrl() {
        assertThatThrownBy(() -> PostgresLocation.of("jdbc:mysql://db1/x?password=s3cret", Map.of()))
                .hasMessageContaining("--store must be jdbc:postgresql://").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> PostgresLocation.of("jdbc:postgresql://db1", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
