package io.benchlink.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.testing.GatewayCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every key of {@code --config FILE} reaches the configuration (PROTOCOL.md §5: keys like the flags, snake_case), as
 * {@code --print-config} shows it; and its {@code log_level} is read when no flag gives one.
 */
class GatewayConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void everyKeyOfTheFileIsTakenWhenNoFlagGivesIt() throws Exception {
        Path data = dir.resolve("store");
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, "{\"bind\": \"127.0.0.2\", \"port\": 9000, \"http_port\": 9001, \"data_dir\": \""
                + data.toString().replace("\\", "\\\\") + "\", \"zone\": \"Asia/Tokyo\", \"allow_anonymous\": true,"
                + " \"offline_grace_seconds\": 7, \"ping_interval_seconds\": 11, \"idle_timeout_seconds\": 33,"
                + " \"subscriber_buffer\": 55, \"max_subscribers\": 66, \"max_agents\": 77, \"max_frame_bytes\": 2048,"
                + " \"retention_days\": 9, \"commit_batch\": 88, \"log_level\": \"debug\"}");

        GatewayCli.Result result = GatewayCli.run("--config", file.toString(), "--print-config");

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out().lines()).contains("bind=127.0.0.2", "port=9000", "http_port=9001",
                "data_dir=" + data, "zone=Asia/Tokyo", "allow_anonymous=true", "offline_grace=7s",
                "ping_interval=11s", "idle_timeout=33s", "subscriber_buffer=55", "max_subscribers=66",
                "max_agents=77", "max_frame_bytes=2048", "retention=9d", "commit_batch=88", "log_level=DEBUG");
    }

    @Test
    void aFlagWinsOverTheFilesLogLevelAndNeitherMeansInfo() throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, "{\"log_level\": \"warn\"}");

        assertThat(GatewayCli.run("--config", file.toString(), "--log-level", "error", "--print-config").out())
                .contains("log_level=ERROR");
        assertThat(GatewayCli.run("--print-config").out()).contains("log_level=INFO");
    }
}
