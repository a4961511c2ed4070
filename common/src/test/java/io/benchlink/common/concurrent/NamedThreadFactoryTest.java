package io.benchlink.common.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamedThreadFactoryTest {
    private static final Runnable NOTHING = () -> { };

    @Test
    void singleNamesItsThreadExactlyAndMakesItADaemon() {
        Thread thread = NamedThreadFactory.single("gateway-store").newThread(NOTHING);
        assertThat(thread.getName()).isEqualTo("gateway-store");
        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.getUncaughtExceptionHandler()).isNotSameAs(thread.getThreadGroup());
    }

    @Test
    void poolNumbersItsThreadsFromOne() {
        NamedThreadFactory pool = NamedThreadFactory.pool("gateway-http");
        assertThat(pool.newThread(NOTHING).getName()).isEqualTo("gateway-http-1");
        assertThat(pool.newThread(NOTHING).getName()).isEqualTo("gateway-http-2");
    }

    @Test
    void threadMayKeepTheJvmAlive() {
        assertThat(NamedThreadFactory.thread("agent-serial-a", false, NOTHING).isDaemon()).isFalse();
        Thread daemon = NamedThreadFactory.thread("agent-serial-b", true, NOTHING);
        assertThat(daemon.isDaemon()).isTrue();
        assertThat(daemon.getName()).isEqualTo("agent-serial-b");
    }
}
