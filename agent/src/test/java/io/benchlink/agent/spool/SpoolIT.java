package io.benchlink.agent.spool;

import static io.benchlink.agent.spool.TestStatuses.link;
import static io.benchlink.agent.spool.TestStatuses.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

@Timeout(60)
class SpoolIT {
    @TempDir
    Path dir;

    private SpoolConfig config(long maxBytes) {
        return new SpoolConfig(dir, maxBytes, Duration.ofDays(30));
    }

    @Test
    void continuesSeqAcrossReopen() throws Exception {
        try (Spool spool = Spool.open(SpoolConfig.defaults(dir))) {
            assertThat(spool.append(result("bench-1", 1))).isEqualTo(1);
            assertThat(spool.append(result("bench-1", 2))).isEqualTo(2);
        }
        try (Spool spool = Spool.open(SpoolConfig.defaults(dir))) {
            assertThat(spool.lastSeq()).isEqualTo(2);
            assertThat(spool.depth()).isEqualTo(2);
            assertThat(spool.append(result("bench-1", 3))).isEqualTo(3);
            assertThat(spool.readAfter(0, 10)).extracting(SpoolRecord::seq).containsExactly(1L, 2L, 3L);
            assertThat(spool.readAfter(1, 10).get(0).status()).isEqualTo(result("bench-1", 2));
        }
    }

    @Test
    void neverReusesSeqAfterEverythingWasAcked() throws Exception {
        try (Spool spool = Spool.open(SpoolConfig.defaults(dir))) {
            spool.append(result("bench-1", 1));
            spool.append(result("bench-1", 2));
            spool.ackUpTo(2);
            await().until(() -> spool.depth() == 0);
        }
        try (Spool spool = Spool.open(SpoolConfig.defaults(dir))) {
            assertThat(spool.depth()).isZero();
            assertThat(spool.append(result("bench-1", 3))).isEqualTo(3);
        }
    }

    @Test
    void ackRemovesOnlyRecordsUpToTheAckedSeq() throws Exception {
        try (Spool spool = Spool.open(SpoolConfig.defaults(dir))) {
            for (int i = 1; i <= 5; i++) {
                spool.append(result("bench-1", i));
            }
            spool.ackUpTo(3);
            await().until(() -> spool.depth() == 2);
            assertThat(spool.readAfter(0, 10)).extracting(SpoolRecord::seq).containsExactly(4L, 5L);
            spool.ackUpTo(2); // an older ack changes nothing
            spool.append(result("bench-1", 6));
            assertThat(spool.readAfter(0, 10)).extracting(SpoolRecord::seq).containsExactly(4L, 5L, 6L);
        }
        try (Spool spool = Spool.open(SpoolConfig.defaults(dir))) {
            assertThat(spool.readAfter(0, 10)).extracting(SpoolRecord::seq).containsExactly(4L, 5L, 6L);
        }
    }

    @Test
    void concurrentAppendsShareCommitsAndGetDistinctSeqs() throws Exception {
        int writers = 8;
        int perWriter = 100;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try (Spool spool = Spool.open(SpoolConfig.defaults(dir))) {
            long commitsBefore = spool.commits();
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String device = "bench-" + w;
                results.add(pool.submit(() -> {
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < perWriter; i++) {
                        seqs.add(spool.append(result(device, i)));
                    }
                    return seqs;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : results) {
                List<Long> seqs = f.get();
                assertThat(seqs).isSorted(); // one writer's statuses keep their order
                all.addAll(seqs);
            }
            assertThat(all).containsExactlyInAnyOrderElementsOf(
                    LongStream.rangeClosed(1, (long) writers * perWriter).boxed().collect(Collectors.toList()));
            assertThat(spool.commits() - commitsBefore).isLessThan((long) writers * perWriter);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void dropsSupersededLinkStatusesThenBlocksInsteadOfDroppingResults() throws Exception {
        long linkCost = costOf(link("bench-a", StatusKind.ONLINE, 1));
        long resultCost = costOf(result("bench-a", 1));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        ListAppender<ILoggingEvent> logged = capture(SpoolSpace.class);
        try (Spool spool = Spool.open(config(6 * linkCost + 3 * resultCost + 10))) {
            spool.append(link("bench-b", StatusKind.ONLINE, 0));
            for (int i = 1; i <= 5; i++) {
                spool.append(link("bench-a", i % 2 == 0 ? StatusKind.ONLINE : StatusKind.OFFLINE, i));
            }
            AtomicInteger stored = new AtomicInteger();
            pool.submit(() -> {
                for (int i = 1; ; i++) {
                    spool.append(result("bench-a", i));
                    stored.set(i);
                }
            });
            await().until(spool::full);
            await().during(Duration.ofMillis(300)).until(() -> spool.full() && stored.get() > 0);
            int resultsStored = stored.get();

            List<SpoolRecord> records = spool.readAfter(0, 100);
            assertThat(spool.droppedSuperseded()).isEqualTo(4); // bench-a's four older link statuses
            assertThat(records).extracting(r -> r.status().status().isResult()).filteredOn(b -> b)
                    .hasSize(resultsStored);
            assertThat(records).extracting(r -> r.status().result()).contains("link 0", "link 5")
                    .doesNotContain("link 1", "link 4");

            spool.ackUpTo(records.get(0).seq() + 2); // room for the blocked append
            await().until(() -> stored.get() > resultsStored);
            assertThat(spool.readAfter(0, 100)).extracting(r -> r.status().result())
                    .contains("result " + (resultsStored + 1));
        } finally {
            pool.shutdownNow();
            release(SpoolSpace.class, logged);
        }
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("dropped 4 superseded online/offline statuses"))
                .anyMatch(m -> m.contains("nothing left to drop: testers are not read"));
    }

    @Test
    void blockedAppendFailsWhenTheSpoolCloses() throws Exception {
        Spool spool = Spool.open(config(costOf(result("bench-a", 1)) + 1));
        spool.append(result("bench-a", 1));
        CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> appendUnchecked(spool, 2));
        await().until(spool::full);
        assertThat(second).isNotDone();
        spool.close();
        await().until(second::isDone);
        assertThat(second).isCompletedExceptionally();
        try (Spool reopened = Spool.open(config(1 << 20))) {
            assertThat(reopened.readAfter(0, 10)).hasSize(1);
        }
    }

    @Test
    void dropsRecordsOlderThanMaxAgeOnOpen() throws Exception {
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        SpoolConfig config = new SpoolConfig(dir, 1 << 20, Duration.ofDays(30));
        try (Spool spool = Spool.open(config, Clock.fixed(start, ZoneOffset.UTC))) {
            spool.append(result("bench-1", 1));
        }
        try (Spool spool = Spool.open(config, Clock.fixed(start.plus(Duration.ofDays(10)), ZoneOffset.UTC))) {
            spool.append(result("bench-1", 2));
        }
        try (Spool spool = Spool.open(config, Clock.fixed(start.plus(Duration.ofDays(31)), ZoneOffset.UTC))) {
            await().until(() -> spool.expired() == 1);
            assertThat(spool.readAfter(0, 10)).extracting(SpoolRecord::seq).containsExactly(2L);
            assertThat(spool.append(result("bench-1", 3))).isEqualTo(3);
        }
    }

    @Test
    void dropsRecordsOlderThanMaxAgeWhileRunningAndSaysSo() throws Exception {
        ListAppender<ILoggingEvent> logged = capture(SpoolSpace.class);
        try (Spool spool = Spool.open(new SpoolConfig(dir, 1 << 20, Duration.ofMillis(300)))) {
            spool.append(result("bench-1", 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> spool.expired() == 1 && spool.depth() == 0);
        } finally {
            release(SpoolSpace.class, logged);
        }
        assertThat(logged.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("dropped 1 statuses older than PT0.3S");
        });
    }

    @Test
    void renumbersPendingRecordsAboveAGatewaySeqItNeverAssigned() throws Exception {
        try (Spool spool = Spool.open(SpoolConfig.defaults(dir))) {
            spool.append(result("bench-1", 1));
            spool.append(result("bench-1", 2));
            assertThat(spool.syncWithGateway(1)).isZero();
            await().until(() -> spool.depth() == 1);

            // a spool directory that was wiped: the gateway already holds seq 40 from this agent
            assertThat(spool.syncWithGateway(40)).isEqualTo(40);
            assertThat(spool.readAfter(40, 10)).extracting(SpoolRecord::seq).containsExactly(42L);
            assertThat(spool.append(result("bench-1", 3))).isEqualTo(43);
        }
    }

    @Test
    void cleanCloseLeavesNoWriteAheadLogSoALeftoverOneMeansACrash() throws Exception {
        try (Spool spool = Spool.open(SpoolConfig.defaults(dir))) {
            spool.append(result("bench-1", 1));
            assertThat(dir.resolve(SpoolDb.FILE_NAME + "-wal")).exists();
        }
        assertThat(dir.resolve(SpoolDb.FILE_NAME + "-wal")).doesNotExist();
    }

    @Test
    void refusesAFileThatIsNotASpoolWithAOneLineReason() throws Exception {
        Files.writeString(dir.resolve(SpoolDb.FILE_NAME), "this is not a database, just garbage ".repeat(200));
        assertThatThrownBy(() -> Spool.open(SpoolConfig.defaults(dir)))
                .isInstanceOf(SpoolException.class)
                .hasMessageContaining("cannot open spool in " + dir)
                .hasMessageNotContaining("\n");
    }

    @Test
    void refusesASecondOpenOfTheSameDirectory() {
        try (Spool spool = Spool.open(SpoolConfig.defaults(dir))) {
            assertThatThrownBy(() -> Spool.open(SpoolConfig.defaults(dir)))
                    .isInstanceOf(SpoolException.class).hasMessageContaining("in use by another agent");
        }
    }

    private static ListAppender<ILoggingEvent> capture(Class<?> source) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(source)).addAppender(appender);
        return appender;
    }

    private static void release(Class<?> source, ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(source)).detachAppender(appender);
    }

    private long costOf(DeviceStatus status) throws InterruptedException {
        Path probe = dir.resolve("probe-" + System.nanoTime());
        try (Spool spool = Spool.open(SpoolConfig.defaults(probe))) {
            spool.append(status);
            return spool.bytes();
        }
    }

    private static long appendUnchecked(Spool spool, int n) {
        try {
            return spool.append(result("bench-a", n));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
