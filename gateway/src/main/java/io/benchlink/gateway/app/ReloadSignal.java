package io.benchlink.gateway.app;

import io.benchlink.common.ops.Signals;
import io.benchlink.gateway.auth.Credentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP re-reads the tokens file (issue 7), through {@link Signals}: on Linux and macOS it works; Windows has no
 * SIGHUP, so there a token change needs a restart. The handler runs on the JVM's signal thread and only re-reads
 * one small file.
 */
final class ReloadSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {
    }

    static void install(Credentials credentials) {
        try {
            Signals.handle("HUP", signal -> {
                try {
                    credentials.reload();
                } catch (RuntimeException e) {
                    // The signal thread must survive a bad reload; the tokens in force stay.
                    LOG.error("tokens reload failed ({})", e.toString());
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.info("SIGHUP is not available here ({}); restart the gateway to change tokens", e.getMessage());
        }
    }
}
