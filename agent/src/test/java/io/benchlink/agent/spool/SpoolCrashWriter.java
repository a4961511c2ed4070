package io.benchlink.agent.spool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child-process main for {@link SpoolCrashIT}: appends results as fast as it can and prints each seq on its own
 * line once {@link Spool#append} returned, i.e. once the status counts as durably taken. The test kills it with
 * SIGKILL mid-stream. Stops by itself after {@code args[1]} appends so a lost parent never leaves it running.
 */
public final class SpoolCrashWriter {
    private SpoolCrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Spool spool = Spool.open(SpoolConfig.defaults(Path.of(args[0])));
        int limit = Integer.parseInt(args[1]);
        int writers = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String device = "bench-crash-" + w;
            Thread thread = new Thread(() -> appendAndPrint(spool, device, limit / writers), "crash-writer-" + w);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        spool.close();
    }

    private static void appendAndPrint(Spool spool, String device, int count) {
        try {
            for (int i = 1; i <= count; i++) {
                long seq = spool.append(TestStatuses.result(device, i));
                synchronized (System.out) { // one whole line per seq, even with several writers
                    System.out.println(seq);
                    System.out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
