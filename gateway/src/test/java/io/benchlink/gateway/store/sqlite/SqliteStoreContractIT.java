package io.benchlink.gateway.store.sqlite;

import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.StoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded SQLite store (a real file in a temporary directory). */
@Timeout(60)
class SqliteStoreContractIT extends StoreContract {
    @TempDir
    Path dir;

    @Override
    protected EventStore openStore() {
        return SqliteEventStore.open(dir);
    }
}
