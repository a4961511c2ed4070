package io.benchlink.gateway.metrics;

import io.benchlink.common.status.StatusKind;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * The gateway's Prometheus metrics ({@code GET /metrics}). Apart from the two latency histograms, every series
 * is a callback that reads the counter its part already keeps (hub stats, agent links, store), so there is one
 * source of truth per number. Built and wired by the composition root ({@code app.Gateway}), so the metrics exist
 * with or without the HTTP listener; this package depends on none of the parts it reads. Each gateway has its
 * own registry, so several can run in one JVM (tests).
 * Thread-safe: scrapes may run concurrently; the histograms are fed from the store writer thread.
 */
public final class GatewayMetrics {
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    private static final double[] ACK_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
        1, 2.5, 5, 10};
    // Finer at the low end: a commit is one fsync, a fraction of a millisecond on a local SSD.
    private static final double[] COMMIT_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
        0.05, 0.1, 0.25, 1};

    /** What the metrics read; all owned elsewhere. {@code httpReceived} counts statuses POSTed over HTTP. */
    public record Sources(Store store, Agents agents, Subscribers subscribers, StatusTally httpReceived) {
    }

    /** The store's figures ({@code sizeBytes} -1 when unknown). */
    public record Store(LongSupplier sizeBytes, LongSupplier oldestSeq, LongSupplier latestSeq,
            LongSupplier queueDepth) {
    }

    /** The agent side's figures. */
    public record Agents(LongSupplier connected, LongSupplier linksLost, StatusTally received) {
    }

    /** The subscriber side's figures. */
    public record Subscribers(LongSupplier connected, StatusTally delivered, LongSupplier fellBehind,
            LongSupplier replayed) {
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Histogram ackLatency;
    private final Histogram commitTime;

    public GatewayMetrics(Sources sources) {
        Store store = sources.store();
        Agents agents = sources.agents();
        Subscribers subscribers = sources.subscribers();
        gauge("benchlink_agents_connected", "Agent links currently connected.", agents.connected());
        gauge("benchlink_subscribers_connected", "Subscriber WebSocket connections currently open.",
                subscribers.connected());
        gauge("benchlink_store_size_bytes", "Size of the store's files (database and write-ahead log).",
                store.sizeBytes());
        gauge("benchlink_store_oldest_seq", "Seq of the oldest retained event (0 when empty).", store.oldestSeq());
        gauge("benchlink_store_latest_seq", "Seq of the newest committed event.", store.latestSeq());
        gauge("benchlink_store_queue_depth", "Write commands waiting for the store writer.", store.queueDepth());
        CounterWithCallback.builder().name("benchlink_statuses_received")
                .help("Statuses received, by status and by source (agent link or HTTP POST).")
                .labelNames("status", "source")
                .callback(cb -> {
                    for (StatusKind kind : StatusKind.values()) {
                        cb.call(agents.received().get(kind), kind.wireName(), "agent");
                        cb.call(sources.httpReceived().get(kind), kind.wireName(), "http");
                    }
                }).register(registry);
        CounterWithCallback.builder().name("benchlink_statuses_delivered")
                .help("Status frames handed to subscriber connections (live and catch-up), by status.")
                .labelNames("status")
                .callback(cb -> {
                    for (StatusKind kind : StatusKind.values()) {
                        cb.call(subscribers.delivered().get(kind), kind.wireName());
                    }
                }).register(registry);
        counter("benchlink_subscribers_fell_behind", "Subscribers closed with 1013 for falling behind.",
                subscribers.fellBehind());
        counter("benchlink_events_replayed", "Events sent to subscribers as since= catch-up or snapshot.",
                subscribers.replayed());
        counter("benchlink_agent_links_lost", "Current agent links that went away.",
                agents.linksLost());
        ackLatency = Histogram.builder().name("benchlink_ack_latency_seconds")
                .help("Time from a status frame's receipt on the agent link to its ack (after the durable write).")
                .classicOnly().classicUpperBounds(ACK_BUCKETS).register(registry);
        // With the ack latency this splits an ack's time into waiting for the writer and the disk itself.
        commitTime = Histogram.builder().name("benchlink_store_commit_seconds")
                .help("Time the store writer spends on one batch: its inserts and the durable commit (fsync).")
                .classicOnly().classicUpperBounds(COMMIT_BUCKETS).register(registry);
    }

    /** Feeds the ack latency histogram; for {@code AgentEndpoint.observeAckLatency}. */
    public void ackLatency(long nanos) {
        ackLatency.observe(nanos / 1e9);
    }

    /** Feeds the commit time histogram; for {@code StoreWriter.observeCommitTime}. */
    public void commitTime(long nanos) {
        commitTime.observe(nanos / 1e9);
    }

    /** The current values in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public byte[] scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        writer.write(out, registry.scrape());
        return out.toByteArray();
    }

    private void gauge(String name, String help, LongSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsLong()))
                .register(registry);
    }

    private void counter(String name, String help, LongSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsLong()))
                .register(registry);
    }
}
