package io.benchlink.agent.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Kills a real writer process with SIGKILL and checks what the spool kept. */
@Timeout(90)
class SpoolCrashIT {
    private static final int KILL_AFTER = 300;

    @TempDir
    Path dir;

    @Test
    void keepsEveryAcceptedStatusAfterTheWriterIsKilled() throws Exception {
        List<Long> accepted = runWriterAndKill(1);

        try (Spool spool = Spool.open(SpoolConfig.defaults(dir))) {
            List<Long> kept = seqs(spool);
            assertThat(kept).containsAll(accepted);
            assertThat(kept).isEqualTo(range(1, spool.lastSeq())); // no hole, no duplicate
            assertThat(spool.append(TestStatuses.result("bench-crash", 0))).isEqualTo(spool.lastSeq())
                    .isGreaterThan(accepted.get(accepted.size() - 1));
        }
    }

    @Test
    void keepsEveryAcceptedStatusWhenConcurrentWritersShareCommitsAndAreKilled() throws Exception {
        List<Long> accepted = runWriterAndKill(4);

        try (Spool spool = Spool.open(SpoolConfig.defaults(dir))) {
            List<Long> kept = seqs(spool);
            assertThat(kept).containsAll(accepted);
            assertThat(kept).isEqualTo(range(1, spool.lastSeq()));
        }
    }

    @Test
    void keepsTheValidRecordsBeforeATornLogTail() throws Exception {
        List<Long> accepted = runWriterAndKill(1);
        Path wal = dir.resolve(SpoolDb.FILE_NAME + "-wal");
        long size = Files.size(wal);
        assertThat(size).as("killed writer leaves its write-ahead log").isGreaterThan(4096);
        try (FileChannel channel = FileChannel.open(wal, StandardOpenOption.WRITE)) {
            channel.truncate(size - 1000); // tear the last frame(s) in the middle
        }

        try (Spool spool = Spool.open(SpoolConfig.defaults(dir))) {
            List<Long> kept = seqs(spool);
            assertThat(kept).isNotEmpty();
            assertThat(kept).isEqualTo(range(1, kept.get(kept.size() - 1))); // a clean prefix of what was written
            assertThat(kept.size()).isGreaterThan(accepted.size() / 2);
            long next = spool.append(TestStatuses.result("bench-crash", 0));
            assertThat(next).isEqualTo(kept.get(kept.size() - 1) + 1);
        }
    }

    private List<Long> runWriterAndKill(int writers) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                SpoolCrashWriter.class.getName(), dir.toString(), "100000", String.valueOf(writers))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Long> accepted = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> readSeqs(child, accepted), "test-child-stdout");
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= KILL_AFTER || !child.isAlive());
            assertThat(child.isAlive()).as("writer still running when killed").isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close
            child.waitFor();
            reader.join(10_000);
        }
        return List.copyOf(accepted);
    }

    private static void readSeqs(Process child, List<Long> accepted) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.matches("\\d+")) { // log lines share stdout; a line cut by the kill is not a seq
                    accepted.add(Long.parseLong(line));
                }
            }
        } catch (IOException e) {
            // the pipe closes when the child dies
        }
    }

    private static List<Long> seqs(Spool spool) {
        return spool.readAfter(0, Integer.MAX_VALUE).stream().map(SpoolRecord::seq).collect(Collectors.toList());
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
    }
}
