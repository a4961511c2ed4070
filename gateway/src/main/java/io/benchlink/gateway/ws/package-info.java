/**
 * The WebSocket listener and the one seam to Java-WebSocket's internals. Everything below that the library does not
 * offer as public API is used from this package only (gateway.PackageMapTest checks it), and each use was measured
 * or needed for a limit of issue 7:
 * <ul>
 * <li>the patched {@code org.java_websocket.server.WebSocketServer} (a copy of the 1.6.0 class; what changed is
 * listed in its header), which {@link io.benchlink.gateway.ws.GatewaySocketServer} extends: it decodes on the
 * selector thread and offers {@code writeSoon};</li>
 * <li>{@code WebSocketImpl.outQueue}, written directly by {@link io.benchlink.gateway.ws.ConnectionOutlet} with
 * frames already encoded once per batch ({@code subscribe.TextFrames}), then written to the socket on the calling
 * thread under the out-queue's monitor (which the patched selector holds for its writes too), or handed to the
 * selector with {@code writeSoon} or {@code onWriteDemand};</li>
 * <li>{@code WebSocketServerFactory.wrapChannel} and {@code WrappedByteChannel} in
 * {@link io.benchlink.gateway.ws.HandshakeGuard} (handshake deadline and size bound);</li>
 * <li>the connection list and protocol pings in {@link io.benchlink.gateway.ws.Heartbeat}.</li>
 * </ul>
 * {@code JavaWebSocketPatchTest} fails when the library on the classpath is not the version the patch was made
 * against, and its message gives the upgrade procedure.
 */
package io.benchlink.gateway.ws;
