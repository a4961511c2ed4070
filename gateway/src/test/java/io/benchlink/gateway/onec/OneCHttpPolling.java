package io.benchlink.gateway.onec;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Java twin of the 1C module {@code docs/1c/BenchlinkHttpPolling.bsl} (БенчлинкHTTPОпрос): one call is one run
 * of the scheduled job. It pages {@code GET /api/events?since=<position>&limit=N[&device_id=]} with the same
 * bearer header, hands every element to {@link OneCEventHandling} (same position as the WebSocket client),
 * warns when {@code Benchlink-Oldest-Seq} shows events lost to retention, stops at a failed handler, and
 * refuses to go on after 400/401.
 *
 * <p>Owned by: the calling test thread (the 1C scheduled job); the warnings list is only read after a run.
 */
final class OneCHttpPolling {
    /** 400/401: the 1C job ends with an error and is not retried as is. */
    static final class RefusedException extends Exception {
        RefusedException(String message) {
            super(message);
        }
    }

    private final Supplier<String> address;
    private final String token;
    private final OneCEventHandling handling;
    private final int pageSize;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> warnings = new ArrayList<>();

    OneCHttpPolling(Supplier<String> address, String token, OneCEventHandling handling, int pageSize) {
        this.address = address;
        this.token = token;
        this.handling = handling;
        this.pageSize = pageSize;
    }

    /** ОпроситьПодписку: returns how many events were processed in this run. */
    int poll(String subscription, int maxPages) throws RefusedException, InterruptedException {
        int processed = 0;
        for (int page = 0; page < maxPages; page++) {
            long since = handling.position(subscription);
            Optional<Page> fetched = fetch(subscription, since);
            if (fetched.isEmpty()) {
                break; // gateway away or answered an error: the next run repeats
            }
            Page current = fetched.get();
            checkRetentionLoss(subscription, since, current);
            for (JsonElement element : current.events) {
                OneCEventHandling.Outcome outcome = element.isJsonObject()
                        ? handling.processData(subscription, OneCEventHandling.parseFrame(element.toString()))
                        : OneCEventHandling.Outcome.DROPPED;
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

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    private record Page(List<JsonElement> events, Long oldest) {
    }

    private Optional<Page> fetch(String subscription, long since) throws RefusedException, InterruptedException {
        String resource = "/api/events?since=" + since + "&limit=" + pageSize
                + (subscription.equals("all") ? "" : "&device_id=" + subscription);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address.get() + resource))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            warnings.add("gateway unreachable: " + e);
            return Optional.empty();
        }
        if (response.statusCode() == 400 || response.statusCode() == 401) {
            throw new RefusedException("gateway refused " + resource + " with " + response.statusCode() + ": "
                    + response.body());
        }
        if (response.statusCode() != 200) {
            warnings.add("gateway answered " + resource + " with " + response.statusCode());
            return Optional.empty();
        }
        JsonElement body = JsonParser.parseString(response.body());
        if (!body.isJsonArray()) {
            warnings.add("/api/events answer is not a JSON array");
            return Optional.empty();
        }
        List<JsonElement> events = new ArrayList<>();
        body.getAsJsonArray().forEach(events::add);
        Long oldest = response.headers().firstValue("Benchlink-Oldest-Seq")
                .filter(v -> v.trim().matches("[0-9]+")).map(v -> Long.parseLong(v.trim())).orElse(null);
        return Optional.of(new Page(events, oldest));
    }

    /** CONTRACT §4: oldest > since + 1 means events in between were dropped by retention. Warn and go on. */
    private void checkRetentionLoss(String subscription, long since, Page page) {
        if (page.oldest == null || page.oldest <= since + 1) {
            return;
        }
        warnings.add("events " + (since + 1) + ".." + (page.oldest - 1) + " of " + subscription
                + " were removed by retention");
        if (page.events.isEmpty()) {
            handling.skipTo(subscription, page.oldest - 1);
        }
    }
}
