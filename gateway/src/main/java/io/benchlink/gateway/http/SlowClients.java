package io.benchlink.gateway.http;

import io.benchlink.common.concurrent.NamedThreadFactory;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Issue 14.4: HTTP clients that trickle their request (slowloris) neither hold the API nor keep a socket forever.
 * The JDK server reads a request's line and headers, and a resource its body, with blocking reads on an executor
 * thread, so eight slow clients took every thread of the former pool of eight. Requests now get threads on demand
 * (idle ones end after a few seconds) up to {@link #READERS}, as many as the former pool plus its queue held, and
 * the JDK server closes a connection whose request takes longer than {@link #MAX_REQUEST_SECONDS} (its own timer:
 * {@code sun.net.httpserver.maxReqTime}, read once per JVM when the first server is created). Store reads serialise
 * on the store's read connection and POSTs on the writer, so more threads do not mean more parallel disk work.
 */
final class SlowClients {
    /** Requests served at once; beyond that the JDK server drops the new connection. */
    static final int READERS = 256;
    /** Line, headers and body of one request: a 1 MiB body needs 100 KB/s. */
    static final long MAX_REQUEST_SECONDS = 10;
    /** Writing one answer to a client that reads slowly. */
    static final long MAX_RESPONSE_SECONDS = 30;

    private SlowClients() {
    }

    /** Must run before the first {@code HttpServer.create} in this JVM; an operator's own -D setting wins. */
    static void limitRequestTime() {
        setIfAbsent("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
        setIfAbsent("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
    }

    /** The executor the JDK server reads requests on: threads on demand up to {@link #READERS}. */
    static ThreadPoolExecutor readers() {
        return new ThreadPoolExecutor(0, READERS, 5, TimeUnit.SECONDS, new SynchronousQueue<>(),
                NamedThreadFactory.pool("gateway-http"));
    }

    private static void setIfAbsent(String property, long seconds) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Long.toString(seconds));
        }
    }
}
