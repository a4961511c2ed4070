package io.benchlink.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: the service starts the gateway with an AppCDS archive that scripts/gateway-cds.sh makes for the
 * installed jar (docs/OPERATIONS.md §2). Runs the script against the built jar and starts the gateway the way the
 * systemd unit does ({@code -XX:SharedArchiveFile=... -Xshare:auto}), with {@code -Xlog:class+load} saying where
 * each class came from.
 */
@Timeout(300)
class StartupArchiveIT {
    static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("..").normalize();
    static final Path SCRIPT = REPO.resolve("scripts/gateway-cds.sh");
    static final Path UNIT = REPO.resolve("scripts/systemd/benchlink-gateway.service");
    /** A class every start loads, after the command line was read: from the archive when it was used. */
    static final String FROM_THE_ARCHIVE = "io.benchlink.gateway.app.Gateway source: shared objects file (top)";

    @TempDir
    Path dir;
    Path jar;
    Path archive;
    int starts;

    record Run(int code, String output) {
    }

    @BeforeEach
    void copyTheBuiltJar() throws IOException {
        Path built = REPO.resolve("gateway/target/benchlink-gateway.jar");
        assertThat(built).as("the gateway jar, packaged before the integration tests").exists();
        jar = Files.copy(built, dir.resolve("benchlink-gateway.jar")); // its own copy: the tests change its time
        archive = dir.resolve("benchlink-gateway.jsa");
    }

    private Run makeArchive() throws Exception {
        Process process = new ProcessBuilder("sh", SCRIPT.toString(), jar.toString(), archive.toString())
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes(); // ends when the script and its trial start are done
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("gateway-cds.sh finished").isTrue();
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Starts the gateway as the unit does, waits until it listens, stops it with SIGTERM: its output. */
    private List<String> startAndStop() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=" + archive, "-Xshare:auto",
                "-Xlog:class+load=info", "-jar", jar.toString(), "--bind", "127.0.0.1", "--port", "0", "--http-port",
                "0", "--data-dir", dir.resolve("data-" + ++starts).toString(), "--allow-anonymous");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("BENCHLINK_LOG_DIR");
        Process process = builder.start();
        process.getOutputStream().close();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                    if (line.contains("gateway listening on")) {
                        listening.complete(null);
                    }
                }
            } catch (IOException e) {
                // the child is gone
            }
            listening.completeExceptionally(new IllegalStateException("exited before listening: " + lines));
        }, "test-cds-gateway-output");
        reader.setDaemon(true);
        reader.start();
        try {
            listening.get(90, TimeUnit.SECONDS);
            process.toHandle().destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped by SIGTERM").isTrue();
            reader.join(10_000);
            return new ArrayList<>(lines);
        } finally {
            process.destroyForcibly();
        }
    }

    /** Where the gateway's class came from in that start: the archive, or the jar (-Xlog:class+load). */
    private static boolean fromTheArchive(List<String> output) {
        return output.stream().anyMatch(line -> line.endsWith(" " + FROM_THE_ARCHIVE));
    }

    private static boolean listened(List<String> output) {
        return output.stream().anyMatch(line -> line.contains("gateway listening on"));
    }

    private static List<String> cdsLines(List<String> output) {
        return output.stream().filter(line -> line.contains("[cds")).toList();
    }

    @Test
    void theArchiveMadeForTheBuiltJarIsUsedByTheNextStartAndNotMadeAgain() throws Exception {
        Run made = makeArchive();
        assertThat(made.code()).as(made.output()).isZero();
        assertThat(made.output()).contains("made " + archive);
        assertThat(archive).isNotEmptyFile();

        List<String> output = startAndStop();
        assertThat(fromTheArchive(output)).as("Gateway loaded from the archive").isTrue();
        assertThat(cdsLines(output)).isEmpty();

        Run again = makeArchive();
        assertThat(again.code()).isZero();
        assertThat(again.output()).as("current for this jar and java: no second trial start").isEmpty();
    }

    @Test
    void aStaleArchiveStillStartsWithOneWarningAndTheScriptMakesItAgain() throws Exception {
        assertThat(makeArchive().code()).isZero();
        // an upgraded jar: what the JVM checks is the jar's size and time
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));

        List<String> stale = startAndStop();
        assertThat(listened(stale)).isTrue();
        assertThat(fromTheArchive(stale)).as("Gateway loaded from the archive").isFalse();
        assertThat(cdsLines(stale)).as("at most one line in the journal").hasSizeLessThanOrEqualTo(1);

        Run remade = makeArchive();
        assertThat(remade.code()).as(remade.output()).isZero();
        assertThat(remade.output()).contains("made " + archive);
        assertThat(fromTheArchive(startAndStop())).as("Gateway loaded from the remade archive").isTrue();
    }

    @Test
    void aMissingArchiveStartsSilentlyFromTheJar() throws Exception {
        List<String> output = startAndStop();
        assertThat(listened(output)).isTrue();
        assertThat(fromTheArchive(output)).as("Gateway loaded from the archive").isFalse();
        assertThat(cdsLines(output)).isEmpty();
    }

    @Test
    void aJarThatCannotStartGetsOneReasonAndIsNotTriedAgainAtEveryStart() throws Exception {
        Files.writeString(jar, "not a jar");
        Run first = makeArchive();
        assertThat(first.code()).isEqualTo(1);
        assertThat(first.output()).contains("no archive made for " + jar, "the trial start exited before it listened");
        assertThat(archive).doesNotExist();

        Run second = makeArchive();
        assertThat(second.code()).as(second.output()).isZero();
        assertThat(second.output()).as("the same jar and java: not tried again").isEmpty();
    }

    @Test
    void theUnitMakesTheArchiveBeforeEachStartWithoutDependingOnItAndStartsWithIt() throws Exception {
        String unit = Files.readString(UNIT);
        String archive = "/var/lib/benchlink/gateway/benchlink-gateway.jsa";
        assertThat(unit).contains("ExecStartPre=-/bin/sh /opt/benchlink/gateway-cds.sh"
                + " /opt/benchlink/benchlink-gateway.jar " + archive + "\n");
        assertThat(unit).contains("-XX:SharedArchiveFile=" + archive + " -Xshare:auto -jar"
                + " /opt/benchlink/benchlink-gateway.jar");
    }
}
