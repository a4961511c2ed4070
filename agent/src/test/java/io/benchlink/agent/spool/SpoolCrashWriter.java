package io.benchlink.agent.spool;

import java.nio.file.Path;

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
        for (int i = 1; i <= limit; i++) {
            long seq = spool.append(TestStatuses.result("bench-crash", i));
            System.out.println(seq);
            System.out.flush();
        }
        spool.close();
    }
}
