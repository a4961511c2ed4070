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
 *
 * <p>Installed before the gateway opens its listeners: until then the JVM's default SIGHUP handler ends the process,
 * so an operator (or a log-rotation script) signalling a gateway that already answers must never kill it. A SIGHUP
 * that arrives before the gateway is up is remembered and acted on as soon as it is.
 */
final class ReloadSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private Credentials credentials; // guarded by this; null until the gateway is up
    private boolean pending; // guarded by this: a SIGHUP came before the gateway was up

    private ReloadSignal() {
    }

    /** Takes SIGHUP from now on; call before the gateway starts, then {@link #reloading} once it has. */
    static ReloadSignal install() {
        ReloadSignal reload = new ReloadSignal();
        try {
            Signals.handle("HUP", signal -> reload.signalled());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.info("SIGHUP is not available here ({}); restart the gateway to change tokens", e.getMessage());
        }
        return reload;
    }

    /** The running gateway's credentials; a SIGHUP received while it started is acted on now. */
    void reloading(Credentials running) {
        boolean missed;
        synchronized (this) {
            credentials = running;
            missed = pending;
            pending = false;
        }
        if (missed) {
            reload(running);
        }
    }

    private void signalled() {
        Credentials target;
        synchronized (this) {
            target = credentials;
            pending = target == null;
        }
        if (target == null) {
            LOG.info("SIGHUP while the gateway is starting; reloading once it is up");
        } else {
            reload(target);
        }
    }

    private static void reload(Credentials credentials) {
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
    }
}
