package io.benchlink.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.status.StatusKind;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The /metrics series read the counters their parts keep (docs/OPERATIONS.md lists them). */
class GatewayMetricsTest {
    private final StatusTally agentReceived = new StatusTally();
    private final StatusTally httpReceived = new StatusTally();
    private final StatusTally delivered = new StatusTally();
    private final GatewayMetrics metrics = new GatewayMetrics(new GatewayMetrics.Sources(
            new GatewayMetrics.Store(() -> 4096, () -> 11, () -> 99, () -> 7, () -> 2),
            new GatewayMetrics.Agents(() -> 3, () -> 5, () -> 6, agentReceived),
            new GatewayMetrics.Subscribers(() -> 12, delivered, () -> 1, () -> 40),
            httpReceived));

    private String scrape() throws Exception {
        return new String(metrics.scrape(), StandardCharsets.UTF_8);
    }

    /** The value of the sample {@code series} (name with its labels exactly as written) in the text format. */
    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as(series + " in\n" + text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void gaugesAndCountersReadTheirSources() throws Exception {
        String text = scrape();

        assertThat(value(text, "benchlink_agents_connected")).isEqualTo(3);
        assertThat(value(text, "benchlink_subscribers_connected")).isEqualTo(12);
        assertThat(value(text, "benchlink_store_size_bytes")).isEqualTo(4096);
        assertThat(value(text, "benchlink_store_oldest_seq")).isEqualTo(11);
        assertThat(value(text, "benchlink_store_latest_seq")).isEqualTo(99);
        assertThat(value(text, "benchlink_store_queue_depth")).isEqualTo(7);
        assertThat(value(text, "benchlink_store_failed_commits_total")).isEqualTo(2);
        assertThat(value(text, "benchlink_subscribers_fell_behind_total")).isEqualTo(1);
        assertThat(value(text, "benchlink_events_replayed_total")).isEqualTo(40);
        assertThat(value(text, "benchlink_agent_links_lost_total")).isEqualTo(5);
        assertThat(value(text, "benchlink_device_ownership_conflicts_total")).isEqualTo(6);
    }

    @Test
    void statusesAreCountedByKindAndSource() throws Exception {
        agentReceived.add(StatusKind.SUCCESS, 4);
        agentReceived.add(StatusKind.FAIL);
        httpReceived.add(StatusKind.ERROR, 2);
        delivered.add(StatusKind.OFFLINE, 9);
        String text = scrape();

        assertThat(value(text, "benchlink_statuses_received_total{source=\"agent\",status=\"success\"}")).isEqualTo(4);
        assertThat(value(text, "benchlink_statuses_received_total{source=\"agent\",status=\"fail\"}")).isEqualTo(1);
        assertThat(value(text, "benchlink_statuses_received_total{source=\"http\",status=\"error\"}")).isEqualTo(2);
        assertThat(value(text, "benchlink_statuses_received_total{source=\"http\",status=\"success\"}")).isZero();
        assertThat(value(text, "benchlink_statuses_delivered_total{status=\"offline\"}")).isEqualTo(9);
        assertThat(value(text, "benchlink_statuses_delivered_total{status=\"success\"}")).isZero();
    }

    @Test
    void latenciesAreObservedInSeconds() throws Exception {
        metrics.ackLatency(2_000_000);
        metrics.commitTime(300_000);
        String text = scrape();

        assertThat(value(text, "benchlink_ack_latency_seconds_sum")).isEqualTo(0.002);
        assertThat(value(text, "benchlink_ack_latency_seconds_bucket{le=\"0.001\"}")).isZero();
        assertThat(value(text, "benchlink_ack_latency_seconds_bucket{le=\"0.0025\"}")).isEqualTo(1);
        assertThat(value(text, "benchlink_store_commit_seconds_sum")).isEqualTo(0.0003);
        assertThat(value(text, "benchlink_store_commit_seconds_bucket{le=\"2.5E-4\"}")).isZero();
        assertThat(value(text, "benchlink_store_commit_seconds_bucket{le=\"5.0E-4\"}")).isEqualTo(1);
    }

    @Test
    void aTallyAddsUpEveryKind() {
        StatusTally tally = new StatusTally();
        tally.add(StatusKind.SUCCESS);
        tally.add(StatusKind.SUCCESS, 2);
        tally.add(StatusKind.OFFLINE, 5);

        assertThat(tally.get(StatusKind.SUCCESS)).isEqualTo(3);
        assertThat(tally.get(StatusKind.FAIL)).isZero();
        assertThat(tally.total()).isEqualTo(8);
    }
}
