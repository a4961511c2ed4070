package io.benchlink.gateway.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, without Docker: the machine's server binaries ({@code initdb}, {@code pg_ctl}
 * from Debian's {@code postgresql} package, which {@code .ci/run} installs; or {@code BENCHLINK_PG_BIN}) run a
 * fresh cluster in its own temporary directory on a free loopback port. PostgreSQL refuses to run as root, so
 * under root (as CI runs) every command runs as the {@code postgres} user the package creates.
 *
 * <p>{@link #shared()} is one server per test JVM (each test takes a fresh database from it, which costs about a
 * tenth of a second); tests that stop, kill or restart the server {@link #start} their own.
 */
public final class PostgresServer implements AutoCloseable {
    private static final String SUPERUSER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;

    private final Path bin;
    private final Path home;
    private final Path data;
    private int port; // set before the server is shared; changes only while start() looks for a free one
    private final boolean fsync;

    private PostgresServer(Path bin, Path home, int port, boolean fsync) {
        this.bin = bin;
        this.home = home;
        this.data = home.resolve("data");
        this.port = port;
        this.fsync = fsync;
    }

    /** The server all tests of this JVM share (stopped when the JVM exits). */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start(false);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "test-postgres-stop"));
        }
        return shared;
    }

    /**
     * A new server of its own.
     *
     * @param fsync true for durability measurements; tests turn it off (a killed server process still loses
     *              nothing it committed: only an operating-system crash would)
     */
    public static PostgresServer start(boolean fsync) {
        Path bin = binaries();
        try {
            Path home = Files.createTempDirectory("benchlink-pg-");
            PostgresServer server = new PostgresServer(bin, home, freePort(), fsync);
            server.initdb();
            server.startOnAFreePort();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL for the tests (" + e.getMessage() + ")", e);
        }
    }

    private static Path binaries() {
        String configured = System.getenv("BENCHLINK_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                return versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(b -> versionOf(b.getParent())))
                        .orElseThrow(PostgresServer::notInstalled);
            } catch (IOException e) {
                throw notInstalled();
            }
        }
        throw notInstalled();
    }

    private static int versionOf(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static IllegalStateException notInstalled() {
        return new IllegalStateException("PostgreSQL server binaries not found: apt-get install postgresql "
                + "(or set BENCHLINK_PG_BIN to the directory holding initdb and pg_ctl)");
    }

    private static int freePort() throws IOException {
        // PostgreSQL cannot bind port 0 and report it; a port just released is the usual way (a clash fails loudly)
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * The port found free before initdb may be taken by the time the server binds it (any process's outgoing
     * connection can get it as its local port, and a loaded machine makes many): then another port, twice at most.
     */
    private void startOnAFreePort() throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                startServer();
                return;
            } catch (IllegalStateException e) {
                if (attempt == 3 || !portWasTaken()) {
                    throw e;
                }
                port = freePort();
            }
        }
    }

    private boolean portWasTaken() throws IOException {
        Path log = home.resolve("server.log");
        return Files.exists(log) && Files.readString(log).contains("could not bind");
    }

    private void initdb() throws IOException {
        if (runsAsRoot()) {
            UserPrincipal owner = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SUPERUSER);
            Files.setOwner(home, owner);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", SUPERUSER,
                "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"), 60);
    }

    private void startServer() {
        String options = "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1 -c fsync=" + (fsync ? "on" : "off")
                + " -c max_connections=200";
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-o", options,
                "-l", home.resolve("server.log").toString(), "start"), 90);
    }

    /** Stops the server cleanly (fast shutdown: open sessions are ended). */
    public void stop() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"), 60);
    }

    /** Kills the server with SIGKILL, postmaster and every backend at once, as a crash of its machine would. */
    public void kill() {
        try {
            long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
            List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
            all.add(postmaster);
            all.forEach(ProcessHandle::destroyForcibly);
            org.awaitility.Awaitility.await("PostgreSQL processes gone").atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> all.stream().noneMatch(ProcessHandle::isAlive));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the postmaster's pid (" + e.getMessage() + ")", e);
        }
    }

    /** Starts the stopped or killed server again on the same port and data. */
    public void restart() {
        startServer();
    }

    public int port() {
        return port;
    }

    /** A new, empty database on this server; its JDBC URL names the superuser. */
    public String createDatabase() {
        String name = "benchlink_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"));
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " (" + e.getMessage() + ")", e);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + SUPERUSER;
    }

    private void run(List<String> command, int timeoutSeconds) {
        List<String> full = new ArrayList<>();
        if (runsAsRoot()) {
            full.addAll(Arrays.asList("runuser", "-u", SUPERUSER, "--"));
        }
        full.addAll(command);
        try {
            Path out = Files.createTempFile(home, "cmd-", ".log");
            if (runsAsRoot()) {
                Files.setOwner(out, home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SUPERUSER));
            }
            Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish within " + timeoutSeconds + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(out)
                        + tail(home.resolve("server.log")));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + " (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log);
        return "\nserver log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Stops the server (if running) and deletes its directory. */
    @Override
    public void close() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                stop();
            }
        } catch (RuntimeException e) {
            // already stopped or killed: nothing left to stop
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind costs disk only
        }
    }
}
