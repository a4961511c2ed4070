package io.benchlink.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.benchlink.agent.serial.NativeLibrary;
import io.benchlink.agent.testing.NativeForTests;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AgentCliIT {
    @Test
    void portsExitsZeroAndListsWhatJSerialCommSees() {
        CliRun run = CliRun.of("ports", "--native-dir", NativeForTests.DIR.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isNotBlank();
        CliRun json = CliRun.of("ports", "--json", "--native-dir", NativeForTests.DIR.toString());
        assertThat(json.exitCode()).isZero();
        assertThat(JsonParser.parseString(json.out()).isJsonArray()).isTrue();
    }

    @Test
    void extractsTheNativeLibraryIntoThePrivateDirectoryOnly() throws Exception {
        NativeForTests.load();
        assertThat(NativeLibrary.loadedFrom()).isEqualTo(NativeForTests.DIR);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(NativeForTests.DIR))).isEqualTo("rwx------");
        try (Stream<java.nio.file.Path> files = Files.walk(NativeForTests.DIR)) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("libjSerialComm.so");
        }
        assertThat(System.getProperty("java.io.tmpdir")).isNotEqualTo(NativeForTests.DIR.toString());
    }
}
