package io.benchlink.gateway.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A small client for the gateway's HTTP API in tests: the JDK HttpClient plus a raw socket for malformed edges. */
public final class HttpApi {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final GatewayFixture gateway;

    public HttpApi(GatewayFixture gateway) {
        this.gateway = gateway;
    }

    /** GET with optional header pairs ("Name", "value", ...). */
    public HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        return send(request(pathAndQuery, headers).GET().build());
    }

    /** POST with optional header pairs; declared {@code application/json} unless a Content-Type pair is given. */
    public HttpResponse<String> post(String pathAndQuery, String body, String... headers) throws Exception {
        HttpRequest.Builder builder = request(pathAndQuery, headers);
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (!typed) {
            builder.header("Content-Type", "application/json");
        }
        return send(builder.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public HttpResponse<byte[]> getBytes(String pathAndQuery) throws Exception {
        return client.send(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public HttpRequest.Builder request(String pathAndQuery, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(gateway.http(pathAndQuery)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    public static JsonObject object(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    public static List<JsonObject> array(HttpResponse<String> response) {
        JsonArray array = JsonParser.parseString(response.body()).getAsJsonArray();
        List<JsonObject> objects = new ArrayList<>();
        for (JsonElement element : array) {
            objects.add(element.getAsJsonObject());
        }
        return objects;
    }

    /** Writes {@code head} and {@code body} as they are and returns the status line and headers of the answer. */
    public String raw(String head, byte[] body) throws IOException {
        URI uri = gateway.http("/");
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                if (answer.indexOf("\r\n\r\n") >= 0 && answer.indexOf("}") > 0) {
                    break;
                }
            }
            return answer.toString();
        }
    }
}
