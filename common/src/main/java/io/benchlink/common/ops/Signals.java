package io.benchlink.common.ops;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * The one place that touches {@code sun.misc.Signal} (module jdk.unsupported, in every JDK 17 build; the JDK has no
 * public API for SIGTERM/SIGHUP handlers). It goes through reflection so that javac does not warn about a
 * proprietary API on every build, and so that a JDK without it fails here with a reason instead of a linkage error.
 * Stateless; handlers run on the JVM's signal dispatcher thread.
 */
public final class Signals {
    private Signals() {
    }

    /**
     * Runs {@code handler} with the signal's name ({@code TERM}, {@code HUP}, ...) each time the signal arrives,
     * replacing the JVM's own handling. Throws {@link IllegalArgumentException} or
     * {@link UnsupportedOperationException} when this platform or JVM cannot handle that signal, or when the signal
     * was ignored when this process started (the JVM then keeps it ignored).
     */
    public static void handle(String name, Consumer<String> handler) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            Method getName = signalClass.getMethod("getName");
            Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (self, method, args) -> {
                        if (method.getName().equals("handle")) {
                            handler.accept((String) getName.invoke(args[0]));
                            return null;
                        }
                        return objectMethod(self, method, args);
                    });
            Object previous = signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, proxy);
            if (previous == handlerClass.getField("SIG_IGN").get(null)) {
                // The JVM leaves a signal that was ignored when it started ignored (nohup does that to HUP) and
                // reports the old disposition without installing the handler: it would never run.
                throw new UnsupportedOperationException("SIG" + name + " is ignored by this process (started under"
                        + " nohup?)");
            }
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae; // unknown signal, or one the JVM uses itself
            }
            throw new UnsupportedOperationException("cannot handle SIG" + name + " (" + e.getCause() + ")", e);
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("this JVM has no sun.misc.Signal (" + e + ")", e);
        }
    }

    private static Object objectMethod(Object self, Method method, Object[] args) {
        return switch (method.getName()) {
            case "equals" -> self == args[0];
            case "hashCode" -> System.identityHashCode(self);
            default -> "signal handler";
        };
    }
}
