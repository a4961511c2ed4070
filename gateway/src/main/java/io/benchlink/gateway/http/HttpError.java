package io.benchlink.gateway.http;

import java.util.Map;

/** A refusal with the HTTP status and the one-line reason the client gets as {@code {"error": "..."}}. */
final class HttpError extends RuntimeException {
    private final int status;
    private final Map<String, String> headers;

    HttpError(int status, String message) {
        this(status, message, Map.of());
    }

    HttpError(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = headers;
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }
}
