package io.benchlink.gateway.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.store.EventStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18: the queries that run on every dashboard refresh use an index, never a scan of the whole log. */
@Timeout(30)
class QueryPlanIT {
    @TempDir
    Path dir;

    @Test
    void theDashboardsResultCountsReadOnlyTheTimeWindowThroughTheTimeIndex() throws Exception {
        try (EventStore store = SqliteEventStore.open(dir)) {
            assertThat(plan(dir, SqliteEventStore.RESULT_COUNTS))
                    .anyMatch(step -> step.contains("USING INDEX events_by_time (stored_ms>?)"))
                    .noneMatch(step -> step.contains("PRIMARY KEY"));
        }
    }

    private static List<String> plan(Path dir, String sql) throws Exception {
        List<String> steps = new ArrayList<>();
        try (Connection connection = SqliteEventStore.connect(dir.resolve(SqliteEventStore.FILE_NAME), 0);
             PreparedStatement st = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            st.setLong(1, 0);
            st.setLong(2, Long.MAX_VALUE);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    steps.add(rs.getString("detail"));
                }
            }
        }
        return steps;
    }
}
