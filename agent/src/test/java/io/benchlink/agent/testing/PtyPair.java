package io.benchlink.agent.testing;

import static org.awaitility.Awaitility.await;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real pseudo-terminal pair from {@code socat}: the agent opens {@link #a()} like a serial port and the test
 * plays the tester by writing to {@link #b()}. {@link #kill()} is a pulled cable (socat exits, the links vanish,
 * the agent's reads fail); {@link #start()} again is the cable back, at the same link path. Used by one test thread.
 */
public final class PtyPair implements AutoCloseable {
    private final Path dir;
    private final Path a;
    private final Path b;
    private Process socat;
    private OutputStream tester;

    public PtyPair(Path dir) {
        this.dir = dir;
        this.a = dir.resolve("ttyA");
        this.b = dir.resolve("ttyB");
    }

    /** Starts socat with a fresh pty pair and waits until both links exist. */
    public PtyPair start() throws IOException {
        if (socat != null && socat.isAlive()) {
            throw new IllegalStateException("socat already running");
        }
        socat = new ProcessBuilder("socat", "-d", "-d",
                "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("socat.log").toFile()))
                .start();
        await("socat links in " + dir).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(a) && Files.exists(b));
        return this;
    }

    /** Kills socat (the cable is pulled) and waits until it has exited and removed its links. */
    public void kill() throws IOException {
        closeTester();
        if (socat == null) {
            return;
        }
        socat.destroy();
        await("socat exit").atMost(Duration.ofSeconds(10)).until(() -> !socat.isAlive());
        await("links removed").atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(a) && !Files.exists(b));
    }

    public Path a() {
        return a;
    }

    public Path b() {
        return b;
    }

    /** Writes raw bytes at the tester's end. */
    public void writeBytes(byte[] data) throws IOException {
        if (tester == null) {
            tester = new FileOutputStream(b.toFile());
        }
        tester.write(data);
        tester.flush();
    }

    /** Writes text lines (each ended with {@code ending}) at the tester's end. */
    public void writeLines(String ending, String... lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append(ending);
        }
        writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void closeTester() throws IOException {
        if (tester != null) {
            tester.close();
            tester = null;
        }
    }

    @Override
    public void close() throws IOException {
        kill();
    }
}
