package io.benchlink.gateway.onec;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Java twin of the 1C module {@code docs/1c/BenchlinkHttpPolling.bsl} (БенчлинкHTTPОпрос): one {@link #poll} is
 * one run of the scheduled job. It pages {@code GET /api/events?since=<position>&limit=N[&device_id=]} with the
 * same bearer header, reads each answer as {@code ПрочитатьJSON(Чтение, Истина)} does ({@link OneCJson}), hands
 * every element to {@link OneCEventHandling} (the position the WebSocket client shares), warns when
 * {@code Benchlink-Oldest-Seq} shows events lost to retention, stops at a failed handler, refuses to go on after
 * 400/401, and on an unreachable gateway or a 5xx asks the next gateway of the list with the same since, until every
 * gateway in a row failed. {@link #checkBeforeConnect} is the WebSocket client's retention check.
 *
 * <p>What it proves: the gateway's HTTP side and the polling algorithm. What it does not: that 1C's
 * {@code HTTPСоединение} behaves as Java's HTTP client does.
 *
 * <p>Owned by: the calling thread (a 1C scheduled job, or the 1C client thread for {@link #checkBeforeConnect});
 * the warnings list is guarded by {@code this} because tests read it from their own thread.
 */
final class OneCHttpPolling {
    /** 400/401: the 1C job ends with an error and is not retried as is. */
    static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message);
        }
    }

    private final List<OneCGateway> gateways;
    private final String token;
    private final OneCEventHandling handling;
    private final int pageSize;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> warnings = new ArrayList<>();
    private final List<Integer> gatewaysAsked = new ArrayList<>();

    OneCHttpPolling(List<OneCGateway> gateways, String token, OneCEventHandling handling, int pageSize) {
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("no gateway in the settings");
        }
        this.gateways = List.copyOf(gateways);
        this.token = token;
        this.handling = handling;
        this.pageSize = pageSize;
    }

    /** ОпроситьПодписку: returns how many events were processed in this run. */
    int poll(String subscription, int maxPages) throws RefusedException, InterruptedException {
        int processed = 0;
        int gateway = 0;
        int failuresInARow = 0;
        for (int page = 0; page < maxPages && failuresInARow < gateways.size(); page++) {
            long since = handling.position(subscription);
            Optional<Page> fetched = fetch(gateway, subscription, since, pageSize);
            if (fetched.isEmpty()) {
                failuresInARow++; // already a warning; the same since on the next gateway
                gateway = (gateway + 1) % gateways.size();
                continue;
            }
            failuresInARow = 0;
            Page current = fetched.get();
            checkRetentionLoss(subscription, since, current);
            for (Object element : current.events) {
                OneCEventHandling.Outcome outcome = handling.processData(subscription, element);
                if (outcome == OneCEventHandling.Outcome.HANDLER_FAILED) {
                    return processed;
                }
                if (outcome == OneCEventHandling.Outcome.PROCESSED) {
                    processed++;
                }
            }
            if (current.events.size() < pageSize) {
                break;
            }
        }
        return processed;
    }

    /**
     * ПроверитьПотерюПередПодключением: one {@code limit=1} request to that gateway before the WebSocket client
     * connects; a retention gap is warned about as when polling, any failure is only a warning.
     */
    void checkBeforeConnect(String subscription, int gateway) throws InterruptedException {
        long since = handling.position(subscription);
        Optional<Page> page;
        try {
            page = fetch(gateway, subscription, since, 1);
        } catch (RefusedException e) {
            warn(e.getMessage());
            return;
        }
        page.ifPresent(p -> checkRetentionLoss(subscription, since, p));
    }

    synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The gateway index of every request made, in order. */
    synchronized List<Integer> gatewaysAsked() {
        return List.copyOf(gatewaysAsked);
    }

    private record Page(List<?> events, Long oldest) {
    }

    private Optional<Page> fetch(int gateway, String subscription, long since, int limit)
            throws RefusedException, InterruptedException {
        synchronized (this) {
            gatewaysAsked.add(gateway);
        }
        String base = gateways.get(gateway).http().get();
        String resource = "/api/events?since=" + since + "&limit=" + limit
                + (subscription.equals("all") ? "" : "&device_id=" + subscription);
        HttpResponse<String> response;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + resource))
                    .timeout(Duration.ofSeconds(30)).header("Accept", "application/json").GET();
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            warn("gateway " + base + " unreachable: " + e);
            return Optional.empty();
        }
        if (response.statusCode() == 400 || response.statusCode() == 401) {
            throw new RefusedException("gateway refused " + resource + " with " + response.statusCode() + ": "
                    + response.body());
        }
        if (response.statusCode() != 200) {
            warn("gateway " + base + " answered " + resource + " with " + response.statusCode());
            return Optional.empty();
        }
        Object body;
        try {
            body = OneCJson.read(response.body());
        } catch (RuntimeException e) {
            body = null;
        }
        if (!(body instanceof List<?> events)) {
            warn("/api/events answer is not a JSON array");
            return Optional.empty();
        }
        Long oldest = response.headers().firstValue("Benchlink-Oldest-Seq")
                .filter(v -> v.trim().matches("[0-9]+")).map(v -> Long.parseLong(v.trim())).orElse(null);
        return Optional.of(new Page(events, oldest));
    }

    /** PROTOCOL.md §4: oldest > since + 1 means events in between were dropped by retention. Warn and go on. */
    private void checkRetentionLoss(String subscription, long since, Page page) {
        if (page.oldest == null || page.oldest <= since + 1) {
            return;
        }
        warn("events " + (since + 1) + ".." + (page.oldest - 1) + " of " + subscription
                + " were removed by retention");
        if (page.events.isEmpty()) {
            handling.skipTo(subscription, page.oldest - 1);
        }
    }

    private synchronized void warn(String warning) {
        warnings.add(warning);
    }
}
