package io.benchlink.gateway.store.postgres;

import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.StoreContract;
import io.benchlink.gateway.testing.PostgresServer;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/** The store contract on PostgreSQL (a real server; a fresh database per test). */
@Timeout(60)
class PostgresStoreContractIT extends StoreContract {
    @Override
    protected EventStore openStore() {
        return PostgresEventStore.open(PostgresLocation.of(PostgresServer.shared().createDatabase(), Map.of()));
    }
}
