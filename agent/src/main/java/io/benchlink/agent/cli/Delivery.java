package io.benchlink.agent.cli;

import io.benchlink.agent.config.AgentConfig;
import io.benchlink.agent.spool.StatusSink;
import io.benchlink.common.time.WallClock;
import java.io.PrintWriter;

/**
 * Where {@code agent run} sends the statuses its readers produce: the gateway (spool + uplink) or, with
 * {@code --print}, standard output. Started before the readers and closed after them.
 */
interface Delivery extends AutoCloseable {
    StatusSink sink();

    void start() throws Exception;

    @Override
    void close();

    /** One JSON status per line on {@code out}, for commissioning a rig without a gateway. */
    static Delivery printing(PrintWriter out) {
        PrintingSink sink = new PrintingSink(out);
        return new Delivery() {
            @Override
            public StatusSink sink() {
                return sink;
            }

            @Override
            public void start() {
                // nothing to start
            }

            @Override
            public void close() {
                out.flush();
            }
        };
    }

    /** The disk spool plus the WebSocket uplink to the gateway. */
    static Delivery toGateway(AgentConfig config, WallClock clock) {
        return new GatewayDelivery(config, clock);
    }
}
