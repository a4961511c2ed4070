package io.benchlink.gateway.onec;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One entry of the 1C settings' gateway list ({@code БенчлинкСобытия.Шлюз(АдресWebSocket, АдресHTTP)}). The
 * addresses are suppliers because 1C re-reads its settings at every attempt and a restarted test gateway gets a
 * new port.
 */
record OneCGateway(Supplier<String> webSocket, Supplier<String> http) {
    OneCGateway {
        Objects.requireNonNull(webSocket, "webSocket");
        Objects.requireNonNull(http, "http");
    }
}
