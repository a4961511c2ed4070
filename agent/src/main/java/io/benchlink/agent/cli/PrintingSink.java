package io.benchlink.agent.cli;

import io.benchlink.agent.spool.StatusSink;
import io.benchlink.common.json.StatusJson;
import io.benchlink.common.status.DeviceStatus;
import java.io.PrintWriter;

/** Writes each status as one JSON line; synchronized because every device's reader thread calls it. */
final class PrintingSink implements StatusSink {
    private final PrintWriter out;

    PrintingSink(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void accept(DeviceStatus status) {
        out.println(StatusJson.toJson(status));
        out.flush();
    }
}
