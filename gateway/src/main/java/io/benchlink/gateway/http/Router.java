package io.benchlink.gateway.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.benchlink.common.text.OneLine;
import io.benchlink.gateway.auth.BrowserOrigins;
import io.benchlink.gateway.auth.TokenCheck;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The single handler of the HTTP listener: finds the route (404), checks the method (405), for a POST the browser
 * origin (403, issue 14.6), the token (401) and, for a POST, that the body is declared JSON (415); runs the
 * resource, and sends every failure through {@link ErrorFunnel}. Counts requests in flight so that shutdown can let
 * them finish. Thread-safe: the route table is immutable.
 */
final class Router implements HttpHandler {
    /** What a route runs; may throw {@link HttpError} or any exception the funnel maps. */
    interface Resource {
        void serve(HttpCall call) throws Exception;
    }

    /** A path ({@code prefix}: the path and everything below it) with its method, access rule and resource. */
    record Route(String method, String path, boolean prefix, Access access, Resource resource) {
        boolean matches(String requestPath) {
            return prefix ? requestPath.startsWith(path) : requestPath.equals(path);
        }
    }

    private final List<Route> routes;
    private final TokenCheck readers;
    private final TokenCheck writers;
    private final BrowserOrigins origins;
    private final boolean tls;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;

    /** {@code tls}: whether this listener serves https:// (a same-origin page then has an https origin). */
    Router(List<Route> routes, TokenCheck readers, TokenCheck writers, BrowserOrigins origins, boolean tls) {
        this.routes = List.copyOf(routes);
        this.readers = readers;
        this.writers = writers;
        this.origins = origins;
        this.tls = tls;
    }

    @Override
    public void handle(HttpExchange exchange) {
        inFlight.incrementAndGet();
        HttpCall call = new HttpCall(exchange);
        try {
            dispatch(call);
        } catch (Throwable t) {
            ErrorFunnel.answer(call, t);
        } finally {
            exchange.close();
            inFlight.decrementAndGet();
        }
    }

    private void dispatch(HttpCall call) throws Exception {
        if (stopping) {
            throw new HttpError(503, "gateway shutting down", Map.of("Retry-After", "5"));
        }
        List<Route> onPath = routes.stream().filter(r -> r.matches(call.path())).toList();
        if (onPath.isEmpty()) {
            throw new HttpError(404, "no such endpoint: " + call.path());
        }
        Route route = onPath.stream().filter(r -> r.method().equals(call.method())).findFirst()
                .orElseThrow(() -> new HttpError(405, "method " + call.method() + " not allowed here",
                        Map.of("Allow", onPath.stream().map(Route::method).collect(Collectors.joining(", ")))));
        boolean post = route.method().equals("POST");
        if (post) {
            // Before the token: a page on another site learns nothing, not even whether a guessed token works.
            checkOrigin(call);
        }
        authorize(route.access(), call.token());
        if (post) {
            call.requireJson();
        }
        route.resource().serve(call);
    }

    private void checkOrigin(HttpCall call) {
        String origin = call.header("Origin");
        if (!origins.allowsPost(origin, call.header("Host"), tls)) {
            throw new HttpError(403, "origin " + OneLine.of(origin, 100) + " not allowed (allowed_origins)");
        }
    }

    private void authorize(Access access, String token) {
        TokenCheck check = access == Access.READ ? readers : access == Access.WRITE ? writers : null;
        if (check != null && !check.accepts(token)) {
            throw new HttpError(401, token == null ? "token required" : "wrong token",
                    Map.of("WWW-Authenticate", "Bearer"));
        }
    }

    /** New requests get 503 from now on; returns once none is in flight or after {@code millis}. */
    boolean drain(long millis) throws InterruptedException {
        stopping = true;
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10); // shutdown only: polling a counter is simpler than a latch per request
        }
        return inFlight.get() == 0;
    }
}
