package io.benchlink.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.app.GatewayMain;
import io.benchlink.gateway.store.sqlite.SqliteEventStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 14.5: a damaged store file at start-up is exit code 2 with one line naming the recovery steps. */
@Timeout(30)
class CorruptStoreIT {
    @TempDir
    Path dir;

    @Test
    void aStoreFileThatIsNotADatabaseExits2WithOneLineAndNoStackTrace() throws Exception {
        Files.writeString(dir.resolve(SqliteEventStore.FILE_NAME), "this was a store once\n".repeat(500));
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cli = GatewayMain.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(out));

        int code = cli.execute("--data-dir", dir.toString(), "--port", "0", "--http-port", "-1");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("store: ").contains(SqliteEventStore.FILE_NAME)
                .contains("docs/OPERATIONS.md").doesNotContain("\n").doesNotContain("Exception");
    }
}
