package io.benchlink.gateway.http;

import com.sun.net.httpserver.HttpExchange;
import io.benchlink.common.text.OneLine;
import io.benchlink.gateway.auth.TokenCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * One request and its answer: the helpers every resource needs (query, token, bounded body, JSON reply), so
 * resources stay about their endpoint. Owned by: the {@code gateway-http-N} thread serving the exchange.
 */
final class HttpCall {
    static final String JSON = "application/json; charset=utf-8";
    private final HttpExchange exchange;
    private Map<String, String> query;

    HttpCall(HttpExchange exchange) {
        this.exchange = exchange;
    }

    String method() {
        return exchange.getRequestMethod();
    }

    /** The path as sent (not percent-decoded); device ids never need escaping. */
    String path() {
        return exchange.getRequestURI().getRawPath();
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The query parameters; any name outside {@code allowed} (and {@code token}) is a 400, as on the WS side. */
    Map<String, String> query(Set<String> allowed) {
        if (query == null) {
            query = Query.parse(exchange.getRequestURI().getRawQuery(), allowed);
        }
        return query;
    }

    /**
     * Issue 14.6: a body must be declared JSON ({@code application/json}, parameters such as a charset allowed). A
     * browser form or a {@code text/plain} POST, which a page on another site can send without asking the user, gets
     * 415 before anything is read.
     */
    void requireJson() {
        String type = header("Content-Type");
        String media = type == null ? "" : type.split(";", 2)[0].strip();
        if (!media.equalsIgnoreCase("application/json")) {
            throw new HttpError(415, type == null ? "Content-Type: application/json required"
                    : "Content-Type must be application/json (got \"" + OneLine.of(media, 40) + "\")");
        }
    }

    /** The bearer token of the Authorization header, else the {@code token} query parameter, else null. */
    String token() {
        String bearer = TokenCheck.bearer(header("Authorization"));
        return bearer != null ? bearer : Query.parseLoose(exchange.getRequestURI().getRawQuery()).get("token");
    }

    /**
     * Reads the body as UTF-8 (a leading BOM, which 1C writes by default, is dropped). A declared length over
     * {@code limit} is refused before reading; a chunked body is read at most {@code limit + 1} bytes.
     */
    String body(int limit) throws IOException {
        String length = header("Content-Length");
        if (length != null && parseLength(length) > limit) {
            throw tooLarge(limit);
        }
        InputStream in = exchange.getRequestBody();
        byte[] bytes = in.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw tooLarge(limit);
        }
        int start = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF
                ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, bytes.length - start)).toString();
        } catch (CharacterCodingException e) {
            throw HttpError.badRequest("body is not valid UTF-8");
        }
    }

    private static long parseLength(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("Content-Length is not a number");
        }
    }

    private static HttpError tooLarge(int limit) {
        // The rest of the body stays unread, so the connection cannot be reused.
        return new HttpError(413, "body larger than " + limit + " bytes", Map.of("Connection", "close"));
    }

    void setHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    void json(int status, String json) throws IOException {
        send(status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    void send(int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        // -1: no body; a length of 0 would mean chunked to the JDK server.
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * Issue 18: starts an answer of unknown length (chunked) and returns its body, for an answer written while it is
     * read from the store; the caller closes it. Paced by the client: a write blocks while the socket is full.
     */
    OutputStream stream(int status, String contentType) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, 0);
        return exchange.getResponseBody();
    }

    /** True once the status line has gone out (an error can then no longer be reported to the client). */
    boolean answered() {
        return exchange.getResponseCode() != -1;
    }

    @Override
    public String toString() {
        return exchange.getRemoteAddress() + " " + method() + " " + path();
    }
}
