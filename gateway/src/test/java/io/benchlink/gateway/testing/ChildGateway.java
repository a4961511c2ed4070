package io.benchlink.gateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gateway in its own JVM, for what only a real process shows: SIGKILL mid-stream, SIGTERM, exit codes. It binds
 * port 0 and the fixture reads the chosen port from the gateway's start-up log line.
 */
public final class ChildGateway implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on ws://[^:]+:(\\d+)");

    private final Process process;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final List<String> log = new CopyOnWriteArrayList<>();

    private ChildGateway(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readLog, "test-child-gateway-log");
        reader.setDaemon(true);
        reader.start();
    }

    public static ChildGateway start(Path dataDir, String... extraArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dlogback.configurationFile=logback.xml", "-cp", System.getProperty("java.class.path"), "io.benchlink.gateway.app.GatewayMain",
                "--bind", "127.0.0.1", "--port", "0", "--http-port", "0", "--data-dir", dataDir.toString()));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("BENCHLINK_LOG_LEVEL", "INFO");
        ChildGateway child = new ChildGateway(builder.start());
        try {
            child.port.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            child.process.destroyForcibly();
            throw e;
        }
        return child;
    }

    private void readLog() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                log.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            // the child is gone
        }
        port.completeExceptionally(new IllegalStateException("gateway exited before listening: " + log));
    }

    /** The child's process id (to send it signals). */
    public long pid() {
        return process.pid();
    }

    public int port() {
        return port.join();
    }

    public java.net.URI uri(String pathAndQuery) {
        return java.net.URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit code once it has stopped. */
    public int terminate() throws InterruptedException {
        // via the handle: Process.destroy() also closes our end of the child's output, losing its last log lines
        process.toHandle().destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("gateway did not stop within 15 s of SIGTERM");
        }
        return process.exitValue();
    }

    public List<String> log() {
        return List.copyOf(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
