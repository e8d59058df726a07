package io.coherence.application.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdempotencyKeyExpiryTest {

    /** A clock the test moves. */
    private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final List<String> calls = new ArrayList<>();
    private int expired;

    /** Holds {@code expired} old keys; each call deletes up to a batch of them. */
    private final IdempotencyStore store = new FakeIdempotencyStore() {
        @Override
        public int expire(Duration ttl, int batch) {
            calls.add("expire " + ttl + " " + batch);
            int deleted = Math.min(batch, expired);
            expired -= deleted;
            return deleted;
        }
    };

    private final IdempotencyKeyExpiry expiry =
            new IdempotencyKeyExpiry(store, Duration.ofHours(24), Duration.ofMinutes(1), 100, clock, null);

    @Test
    void expiresInBatchesUntilABatchIsNotFull() {
        expired = 250;

        assertThat(expiry.runIfDue()).isEqualTo(250);

        assertThat(calls).containsExactly("expire PT24H 100", "expire PT24H 100", "expire PT24H 100");
    }

    @Test
    void runsOncePerInterval() {
        expiry.runIfDue();
        clock.advance(Duration.ofSeconds(59));
        expiry.runIfDue();
        assertThat(calls).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        expiry.runIfDue();
        assertThat(calls).hasSize(2);
    }

    @Test
    void aBacklogIsWorkedOffOverSeveralRuns() {
        expired = 100 * IdempotencyKeyExpiry.MAX_BATCHES_PER_RUN + 30;

        assertThat(expiry.runIfDue()).isEqualTo(100 * IdempotencyKeyExpiry.MAX_BATCHES_PER_RUN);
        clock.advance(Duration.ofSeconds(60));
        assertThat(expiry.runIfDue()).isEqualTo(30);
    }
}
