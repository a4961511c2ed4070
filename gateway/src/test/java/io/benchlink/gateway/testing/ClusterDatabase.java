package io.benchlink.gateway.testing;

import io.benchlink.gateway.store.postgres.PostgresEventStore;
import io.benchlink.gateway.store.postgres.PostgresLocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One fresh database of the shared test PostgreSQL ({@link PostgresServer#shared()}) that several gateways use, as a
 * cluster does: each one either a whole gateway ({@link #gateway}) or just its store ({@link #store()}). Closing it
 * closes everything it opened, the last opened first. A test class holds it in a {@code @RegisterExtension} field,
 * which closes it after each test; since JUnit makes a new instance of the class for each test, each test gets a
 * database of its own, and its stores can be opened in field initialisers.
 */
public final class ClusterDatabase implements AfterEachCallback, AutoCloseable {
    private final String url = PostgresServer.shared().createDatabase();
    private final List<Runnable> closers = new ArrayList<>();

    /** The JDBC URL of the database (with the test server's superuser). */
    public String url() {
        return url;
    }

    /** One gateway's read side and writer on the database, as {@code store = <url>} opens them. */
    public PostgresEventStore store() {
        PostgresEventStore store = PostgresEventStore.open(PostgresLocation.of(url, Map.of()));
        closers.add(store::close);
        return store;
    }

    /**
     * A gateway on the database, not started yet (a test may still add {@link GatewayFixture#withHttp()}), that
     * reports a lost link's devices offline after {@code offlineGrace}.
     */
    public GatewayFixture gateway(Path dataDir, Duration offlineGrace) {
        GatewayFixture gateway = new GatewayFixture(dataDir,
                c -> c.toBuilder().store(url).offlineGrace(offlineGrace).build());
        closers.add(gateway::close);
        return gateway;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (int i = closers.size() - 1; i >= 0; i--) {
            try {
                closers.get(i).run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        closers.clear();
        if (first != null) {
            throw first;
        }
    }
}
