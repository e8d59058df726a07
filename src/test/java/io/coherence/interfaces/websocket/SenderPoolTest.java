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
    void eachBlockedThreadIsReplacedUntilTheCapAndGivenBackWhenItsWriteReturns() {
        assertThat(pool.lend()).isTrue();
        assertThat(pool.lend()).isTrue();
        assertThat(pool.poolSize()).isEqualTo(4);

        assertThat(pool.lend()).isTrue();
        assertThat(pool.lend()).as("at most 3 lent threads").isFalse();
        assertThat(pool.poolSize()).isEqualTo(5);
        assertThat(pool.lentCount()).isEqualTo(3);

        pool.giveBack();
        assertThat(pool.poolSize()).isEqualTo(4);
        assertThat(pool.lend()).as("room again").isTrue();
        pool.giveBack();
        pool.giveBack();
        pool.giveBack();
        assertThat(pool.poolSize()).isEqualTo(2);
        assertThat(pool.lentCount()).isZero();
    }
}
