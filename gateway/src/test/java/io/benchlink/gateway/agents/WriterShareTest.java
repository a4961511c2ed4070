package io.benchlink.gateway.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WriterShareTest {
    private final AtomicInteger depth = new AtomicInteger();
    private final WriterShare share = new WriterShare(1200, depth::get);

    private int held(WriterShare.Held link, int tries) {
        int ok = 0;
        for (int i = 0; i < tries; i++) {
            if (share.tryHold(link)) {
                ok++;
                depth.incrementAndGet();
            }
        }
        return ok;
    }

    @Test
    void theShareIsHalfTheQueueOverTheLinksPlusOne() {
        share.joined();
        assertThat(share.share()).isEqualTo(300);
        share.joined();
        share.joined();
        assertThat(share.share()).isEqualTo(150);
        share.left();
        assertThat(share.share()).isEqualTo(200);
    }

    @Test
    void aLinkOverItsShareIsRefusedOnlyOnceTheQueueIsHalfFull() {
        share.joined();
        share.joined();
        WriterShare.Held flooder = new WriterShare.Held();
        assertThat(held(flooder, 1000)).as("up to half the queue, whatever the share").isEqualTo(600);
        assertThat(flooder.count()).isEqualTo(600);

        WriterShare.Held modest = new WriterShare.Held();
        assertThat(held(modest, 10)).as("a link within its share goes on").isEqualTo(10);
        assertThat(share.tryHold(flooder)).isFalse();

        flooder.release();
        depth.set(599); // the writer took one: the queue is below half again
        assertThat(share.tryHold(flooder)).isTrue();
    }

    @Test
    void aLoneLinkWithALargeWindowIsNeverRefusedBelowHalfAQueue() {
        share.joined();
        WriterShare.Held big = new WriterShare.Held();
        assertThat(held(big, 599)).isEqualTo(599);
    }
}
