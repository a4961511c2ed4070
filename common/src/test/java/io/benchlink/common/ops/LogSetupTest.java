package io.benchlink.common.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogSetupTest {
    @TempDir
    Path dir;

    @AfterEach
    void restoreLogging() {
        LogSetup.rootLevel("INFO");
        ((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory()).reset();
    }

    @Test
    void levelNamesAreAcceptedInAnyCaseAndAnythingElseIsRefused() {
        assertThat(LogSetup.normalizeLevel(" debug ")).isEqualTo("DEBUG");
        assertThat(LogSetup.normalizeLevel("Warn")).isEqualTo("WARN");
        assertThat(LogSetup.normalizeLevel("loud")).isNull();
        assertThat(LogSetup.normalizeLevel(null)).isNull();
    }

    @Test
    void rootLevelChangesWhatIsLogged() {
        Logger log = LoggerFactory.getLogger("io.benchlink.test");
        LogSetup.rootLevel("WARN");
        assertThat(log.isInfoEnabled()).isFalse();
        LogSetup.rootLevel("DEBUG");
        assertThat(log.isDebugEnabled()).isTrue();
    }

    @Test
    void rollingFileTakesOverFromTheConsole() throws Exception {
        LogSetup.rootLevel("INFO");
        LogSetup.rollingFile(dir.resolve("logs"), "gateway");
        LoggerFactory.getLogger("io.benchlink.test").info("rig-7 - hello from the file test");

        Path file = dir.resolve("logs").resolve("gateway.log");
        assertThat(file).exists();
        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .contains("INFO ").contains("io.benchlink.test - rig-7 - hello from the file test");
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory
                .getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender("FILE")).isNotNull();
        assertThat(root.iteratorForAppenders()).toIterable().hasSize(1);
    }

    @Test
    void theRollingFileWritesPeerTextAndExceptionMessagesAsOneEscapedLine() throws Exception {
        LogSetup.rollingFile(dir.resolve("logs"), "gateway");
        String hostile = "x\r\n2026-01-01 00:00:00.000 ERROR [main] Forged - \u001b[31mred";
        Logger log = LoggerFactory.getLogger("io.benchlink.test");
        log.warn("{} - refused", hostile);
        log.warn("failed", new IllegalStateException("bad frame " + hostile));

        String written = Files.readString(dir.resolve("logs").resolve("gateway.log"), StandardCharsets.UTF_8);
        assertThat(written).doesNotContain("\r").doesNotContain("\u001b");
        assertThat(written.lines().filter(l -> l.contains("Forged"))).hasSize(2).allSatisfy(l -> assertThat(l)
                .contains("x\\r\\n2026-01-01 00:00:00.000 ERROR [main] Forged - \\x1b[31mred"));
        assertThat(written).contains("java.lang.IllegalStateException: bad frame x\\r\\n2026")
                .contains("\tat io.benchlink.common.ops.LogSetupTest"); // the trace keeps its lines
    }
}
