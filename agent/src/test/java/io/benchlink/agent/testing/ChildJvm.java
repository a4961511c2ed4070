package io.benchlink.agent.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A product main class in its own JVM, run from this test classpath (agent and, as a test dependency, gateway), for
 * what only a real process shows: SIGKILL mid-stream. Its log (the {@code e2e-logback.xml} format) is kept in
 * memory and copied to {@code logFile}, so a failed run can be read afterwards. Used by one test thread; the log
 * reader thread only appends.
 */
public final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Path logFile;

    private ChildJvm(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        Thread reader = new Thread(this::readLog, "test-child-log-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code java jvmOptions... mainClass args...}; its output goes to memory and is appended to
     * {@code logFile}. The child is SIGKILLed when this JVM exits, so a failed run leaves no process behind.
     */
    public static ChildJvm start(String name, Path logFile, List<String> jvmOptions, String mainClass,
            List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-Dlogback.configurationFile=e2e-logback.xml"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "test-child-reaper-" + name));
        return new ChildJvm(name, process, logFile);
    }

    /** Waits for a log line matching {@code pattern} (after {@code fromLine}) and returns its first group. */
    public String await(Pattern pattern, int fromLine, Duration timeout) {
        String[] found = new String[1];
        Awaitility.await(name + " to log " + pattern).atMost(timeout).pollInterval(Duration.ofMillis(20))
                .failFast(name + " exited: " + tail(), () -> !process.isAlive())
                .until(() -> {
                    List<String> lines = log;
                    for (int i = fromLine; i < lines.size(); i++) {
                        Matcher m = pattern.matcher(lines.get(i));
                        if (m.find()) {
                            found[0] = m.groupCount() > 0 ? m.group(1) : m.group();
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    public int lines() {
        return log.size();
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL for 10 s");
        }
    }

    /** SIGTERM, as systemd or Ctrl-C in a script would send; returns the exit code (within {@code timeout}). */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " still running " + timeout.toSeconds() + " s after SIGTERM: "
                    + tail());
        }
        return process.exitValue();
    }

    /** The last lines of its log, for failure messages. */
    public String tail() {
        List<String> lines = log;
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private void readLog() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
                PrintWriter file = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                log.add(line);
                file.println(line);
            }
        } catch (IOException e) {
            // the child is gone
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
