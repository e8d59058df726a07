package io.coherence.interfaces.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SenderPoolTest {

    private final SenderPool pool = new SenderPool(2, 3);

    @AfterEach
    void stop() {
        pool.shutdown();
    }

    @Test
    void eachPinnedThreadIsReplacedUntilTheCapAndGivenBackWhenReleased() {
        pool.pinned();
        pool.pinned();
        assertThat(pool.poolSize()).isEqualTo(4);

        pool.pinned();
        pool.pinned();
        assertThat(pool.poolSize()).as("at most 3 lent threads").isEqualTo(5);
        assertThat(pool.pinnedCount()).isEqualTo(4);

        pool.released();
        assertThat(pool.poolSize()).isEqualTo(5);
        pool.released();
        pool.released();
        pool.released();
        assertThat(pool.poolSize()).isEqualTo(2);
        assertThat(pool.pinnedCount()).isZero();
    }
}
