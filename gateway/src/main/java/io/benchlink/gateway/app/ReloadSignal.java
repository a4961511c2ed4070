package io.benchlink.gateway.app;

import io.benchlink.common.ops.Signals;
import io.benchlink.gateway.auth.Credentials;
import io.benchlink.gateway.tls.ServerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP re-reads the tokens file (issue 7) and the TLS keystore (issue 14.6), through {@link Signals}: on Linux and
 * macOS it works; Windows has no SIGHUP, so there a token or certificate change needs a restart. The handler runs on
 * the JVM's signal thread and only re-reads two small files.
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
                try {
                    ServerTls.reload(); // issue 14.6: a renewed certificate without a restart
                } catch (RuntimeException e) {
                    LOG.error("TLS certificate reload failed ({})", e.toString());
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.info("SIGHUP is not available here ({}); restart the gateway to change tokens", e.getMessage());
        }
    }
}
