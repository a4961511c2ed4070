package io.benchlink.agent.bench;

import io.benchlink.agent.profile.BuiltinProfiles;
import io.benchlink.agent.serial.NativeLibrary;
import io.benchlink.agent.serial.SerialConnector;
import io.benchlink.agent.serial.SerialSettings;
import io.benchlink.agent.source.DeviceReader;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load tool (not a test): CPU used by the agent's readers while watching {@code N} idle ports (socat pty pairs)
 * for {@code S} seconds, as a share of one core, from the JVM's process CPU time. Args: [ports=8] [seconds=30].
 * Needs socat. Run by scripts/bench-agent-parse.sh.
 */
public final class IdleCpuBench {
    private IdleCpuBench() {
    }

    public static void main(String[] args) throws Exception {
        int ports = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path dir = Files.createTempDirectory("agent-idle-bench");
        NativeLibrary.load(dir.resolve("native"));
        List<Process> socats = new ArrayList<>();
        List<DeviceReader> readers = new ArrayList<>();
        AtomicLong statuses = new AtomicLong();
        try {
            for (int i = 0; i < ports; i++) {
                Path a = dir.resolve("ttyA" + i);
                socats.add(new ProcessBuilder("socat", "pty,raw,echo=0,link=" + a,
                        "pty,raw,echo=0,link=" + dir.resolve("ttyB" + i)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                waitFor(a);
                DeviceReader reader = new DeviceReader("idle-" + i, new SerialConnector(a.toString(),
                        SerialSettings.DEFAULT), BuiltinProfiles.kv(), s -> statuses.incrementAndGet(),
                        WallClock.system(), DeviceReader.defaultBackoff());
                readers.add(reader);
                reader.start();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (readers.stream().anyMatch(r -> r.linkState() != StatusKind.ONLINE) && System.nanoTime() < deadline) {
                Thread.sleep(50); // a load tool, not a test: plain waiting is fine here
            }
            measure(ports, seconds, readers);
        } finally {
            for (DeviceReader reader : readers) {
                reader.requestStop();
            }
            for (DeviceReader reader : readers) {
                reader.close(Duration.ofSeconds(3));
            }
            socats.forEach(Process::destroy);
        }
    }

    private static void measure(int ports, int seconds, List<DeviceReader> readers) throws InterruptedException {
        long online = readers.stream().filter(r -> r.linkState() == StatusKind.ONLINE).count();
        Thread.sleep(5000); // let start-up JIT compilation settle so it is not billed to idle reading
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long readers0 = readerThreadsCpu();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long cpu = os.getProcessCpuTime() - cpu0;
        long readerCpu = readerThreadsCpu() - readers0;
        long wall = System.nanoTime() - t0;
        System.out.printf(Locale.ROOT, "idle ports=%d online=%d seconds=%d process cpu=%.1f ms => %.3f%% of one core;"
                + " reader threads cpu=%.1f ms => %.3f%%%n", ports, online, seconds, cpu / 1e6, 100.0 * cpu / wall,
                readerCpu / 1e6, 100.0 * readerCpu / wall);
    }

    /** CPU time of the agent-serial-* reader threads only, to separate them from the JVM's own background work. */
    private static long readerThreadsCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("agent-serial-")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static void waitFor(Path link) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(link) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
