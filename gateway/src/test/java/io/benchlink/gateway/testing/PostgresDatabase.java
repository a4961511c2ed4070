package io.benchlink.gateway.testing;

import io.benchlink.gateway.store.postgres.PostgresEventStore;
import io.benchlink.gateway.store.postgres.PostgresLocation;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh, already migrated database for one unit test, on the JVM's {@link PostgresServer#shared()} server: a copy
 * of a template migrated once per JVM ({@code CREATE DATABASE ... TEMPLATE}, a tenth of a second, where migrating
 * each database would take most of a second), dropped again by {@link #close()} so that a mutation run, which
 * repeats the same tests hundreds of times in one JVM, does not fill the disk. The stores it {@link #open}ed are
 * closed with it.
 */
public final class PostgresDatabase implements AutoCloseable {
    private static final AtomicInteger COPIES = new AtomicInteger();
    private static String template;

    private final PostgresServer server;
    private final String name;
    private final List<PostgresEventStore> stores = new ArrayList<>();

    private PostgresDatabase(PostgresServer server, String name) {
        this.server = server;
        this.name = name;
    }

    /** A new database holding the store's schema and nothing else. */
    public static PostgresDatabase create() {
        PostgresServer server = PostgresServer.shared();
        String source = template(server);
        String name = source + "_" + COPIES.incrementAndGet();
        admin(server, "CREATE DATABASE " + name + " TEMPLATE " + source);
        return new PostgresDatabase(server, name);
    }

    private static synchronized String template(PostgresServer server) {
        if (template == null) {
            stopWhenThisJvmDies(server);
            String name = "benchlink_tmpl_" + ProcessHandle.current().pid();
            admin(server, "CREATE DATABASE " + name);
            PostgresEventStore.open(PostgresLocation.of(server.url(name), Map.of())).close();
            // a copy needs the template without sessions; the pool's closed connections may still be ending
            admin(server, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
            template = name;
        }
        return template;
    }

    /**
     * The shared server stops with the JVM's shutdown hook, but PIT ends a minion whose mutant hangs without running
     * the hooks: a watcher process outside the JVM then stops the server (fast shutdown) and deletes its directory,
     * so a mutation run leaves no server behind.
     */
    private static void stopWhenThisJvmDies(PostgresServer server) {
        Path data = Path.of(valueOn(server, "SHOW data_directory"));
        String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 1; done;"
                + " pid=$(head -n 1 '" + data.resolve("postmaster.pid") + "' 2>/dev/null)"
                + " && kill -INT \"$pid\" 2>/dev/null;"
                + " while [ -n \"$pid\" ] && kill -0 \"$pid\" 2>/dev/null; do sleep 1; done;"
                + " rm -rf '" + data.getParent() + "'";
        try {
            new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the watcher of the test server (" + e.getMessage() + ")", e);
        }
    }

    private static String valueOn(PostgresServer server, String sql) {
        try (Connection c = DriverManager.getConnection(server.url("postgres")); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed (" + e.getMessage() + ")", e);
        }
    }

    private static void admin(PostgresServer server, String sql) {
        try (Connection c = DriverManager.getConnection(server.url("postgres")); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed (" + e.getMessage() + ")", e);
        }
    }

    public String url() {
        return server.url(name);
    }

    /** A store on this database, as a gateway opens it (closed with the database). */
    public PostgresEventStore open() {
        PostgresEventStore store = PostgresEventStore.open(PostgresLocation.of(url(), Map.of()));
        stores.add(store);
        return store;
    }

    /** A connection of the test's own (superuser, auto-commit), to arrange rows and read what the code wrote. */
    public Connection connect() {
        try {
            return DriverManager.getConnection(url());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + name + " (" + e.getMessage() + ")", e);
        }
    }

    /** Runs statements on a connection of the test's own. */
    public void execute(String... sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test SQL failed (" + e.getMessage() + ")", e);
        }
    }

    /** The rows of a query, each row's columns joined by a space ({@code null} as "null"). */
    public List<String> rows(String sql, Object... parameters) {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                st.setObject(i + 1, parameters[i]);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= columns; i++) {
                        row.append(i > 1 ? " " : "").append(rs.getString(i));
                    }
                    rows.add(row.toString());
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("test query failed (" + e.getMessage() + ")", e);
        }
    }

    /** The single value of a one-row, one-column query. */
    public String value(String sql, Object... parameters) {
        List<String> rows = rows(sql, parameters);
        if (rows.size() != 1) {
            throw new IllegalStateException("expected one row of " + sql + ", got " + rows);
        }
        return rows.get(0);
    }

    /** Sessions of this database that are waiting for a lock (an advisory lock or a row), for tests of blocking. */
    public int waitingForLocks() {
        return Integer.parseInt(valueOnAdmin("SELECT count(*) FROM pg_stat_activity"
                + " WHERE datname = '" + name + "' AND wait_event_type = 'Lock'"));
    }

    private String valueOnAdmin(String sql) {
        return valueOn(server, sql);
    }

    /** Sessions open on this database under {@code applicationName}. */
    public int sessions(String applicationName) {
        return Integer.parseInt(valueOnAdmin("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + name
                + "' AND application_name = '" + applicationName + "'"));
    }

    /** Ends (as a database restart would) every session of this database under {@code applicationName}. */
    public void terminate(String applicationName) {
        valueOnAdmin("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" + name
                + "' AND application_name = '" + applicationName + "'");
    }

    /** Closes the stores opened here and drops the database (ending any session still on it). */
    @Override
    public void close() {
        for (PostgresEventStore store : stores) {
            store.close();
        }
        admin(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
