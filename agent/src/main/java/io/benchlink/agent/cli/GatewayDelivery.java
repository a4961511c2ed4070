package io.benchlink.agent.cli;

import io.benchlink.agent.config.AgentConfig;
import io.benchlink.agent.spool.Spool;
import io.benchlink.agent.spool.SpoolConfig;
import io.benchlink.agent.spool.StatusSink;
import io.benchlink.agent.uplink.Uplink;
import io.benchlink.agent.uplink.UplinkConfig;
import io.benchlink.common.time.WallClock;

/**
 * Delivery to the gateway: every status goes durably into the disk spool, and the uplink sends it and removes it
 * once the gateway acknowledged it. Closing stops the uplink before the spool it reads from.
 */
final class GatewayDelivery implements Delivery {
    private final Spool spool;
    private final Uplink uplink;

    GatewayDelivery(AgentConfig config, WallClock clock) {
        spool = Spool.open(new SpoolConfig(config.spoolDir(), config.spoolMaxBytes(), config.spoolMaxAge()));
        UplinkConfig link = UplinkConfig.defaults(config.gateways(), config.agentId(), config.token(),
                config.deviceIds());
        uplink = new Uplink(config.trustedCa() == null ? link : link.withTrustedCa(config.trustedCa()), spool, clock);
    }

    Spool spool() {
        return spool;
    }

    Uplink uplink() {
        return uplink;
    }

    @Override
    public StatusSink sink() {
        return spool;
    }

    @Override
    public void start() {
        uplink.start();
    }

    @Override
    public void close() {
        uplink.close();
        spool.close();
    }
}
