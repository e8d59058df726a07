package io.coherence.application.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.domain.policy.Caller;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {

    private final List<String> calls = new ArrayList<>();
    private IdempotencyStore.Claim next = new IdempotencyStore.Claimed(Instant.EPOCH);
    private volatile boolean storeDown;
    private final IdempotencyKeys keys = keys();

    private IdempotencyKeys keys() {
        IdempotencyKeys k = new IdempotencyKeys();
        k.ttl = Duration.ofHours(24);
        k.writer = new WriterSettings(5000, Duration.ofMillis(2), 1, Duration.ofSeconds(30), 10_000);
        k.store = new IdempotencyStore() {
            @Override
            public Claim claim(String scope, String key, String requestHash, Duration ttl, Duration runningTimeout) {
                calls.add("claim " + scope + " " + key + " " + ttl + " " + runningTimeout);
                return next;
            }

            @Override
            public void complete(String scope, String key, Instant at, int status, String body) {
                if (storeDown) {
                    throw new IllegalStateException("PostgreSQL is down");
                }
                calls.add("complete " + scope + " " + key + " " + status + " " + body);
            }

            @Override
            public void release(String scope, String key, Instant at) {
                if (storeDown) {
                    throw new IllegalStateException("PostgreSQL is down");
                }
                calls.add("release " + scope + " " + key);
            }

            @Override
            public int releaseAbandoned() {
                if (storeDown) {
                    throw new IllegalStateException("PostgreSQL is down");
                }
                calls.add("releaseAbandoned");
                return 3;
            }

            @Override
            public int expire(Duration ttl, int batch) {
                throw new UnsupportedOperationException();
            }
        };
        return k;
    }

    /**
     * After kill -9 and a restart, the claims of the dead process used to answer 409 until the
     * running timeout (60 s after the claim); the first tick now releases them, once, and a tick
     * while the store is down tries again on the next one.
     */
    @Test
    void theClaimsAPreviousStartLeftAreReleasedOnceTheStoreTakesIt() {
        storeDown = true;
        keys.releaseAbandoned();
        keys.releaseAbandoned();
        assertThat(calls).isEmpty();

        storeDown = false;
        keys.releaseAbandoned();
        keys.releaseAbandoned();
        keys.releaseAbandoned();

        assertThat(calls).containsExactly("releaseAbandoned");
    }

    private static final Caller CALLER = new Caller("sub-1", Optional.of("tenant-a"), Set.of("coherence:write"));

    @Test
    void keysAreScopedToTheCallersTenantAndAFinishedRequestKeepsItsAnswer() {
        keys.claim(CALLER, "k-1", "{}").finish(202, "{\"accepted\":1}");

        assertThat(calls).containsExactly("claim tenant-a k-1 PT24H PT1M", "complete tenant-a k-1 202 {\"accepted\":1}");
    }

    @Test
    void aServerSideFailureReleasesTheKeySoARetryMayRun() {
        keys.claim(CALLER, "k-1", "{}").finish(503, "{}");

        assertThat(calls).endsWith("release tenant-a k-1");
    }

    @Test
    void aFinishedRequestIsReplayed() {
        next = new IdempotencyStore.Answered(400, "{\"error\":{}}");

        assertThat(keys.claim(CALLER, "k-1", "{}").replay()).isEqualTo(next);
    }

    @Test
    void runningAndReusedKeysAreRefusedWithTheirCodes() {
        next = new IdempotencyStore.Running();
        assertThatThrownBy(() -> keys.claim(CALLER, "k-1", "{}")).isInstanceOfSatisfying(CoherenceException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_IN_USE));
        next = new IdempotencyStore.Reused();
        assertThatThrownBy(() -> keys.claim(CALLER, "k-1", "{}")).isInstanceOfSatisfying(CoherenceException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED));
    }

    @Test
    void aKeyMustBePrintableAsciiOfAtMost255Characters() {
        for (String bad : List.of("", "a b", "ü", "k".repeat(256), "line\nbreak")) {
            assertThatThrownBy(() -> keys.claim(CALLER, bad, "{}")).isInstanceOfSatisfying(CoherenceException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IDEMPOTENCY_KEY));
        }
        assertThat(calls).isEmpty();
        keys.claim(CALLER, "k".repeat(255), "{}");
        assertThat(calls).hasSize(1);
    }

    /** Issue 14: the answer after a commit was 503 "nothing was written" when the key store failed. */
    @Test
    void aKeyStoreThatFailsAfterTheWriteDoesNotChangeTheAnswer() {
        IdempotencyKeys.Claimed claim = keys.claim(CALLER, "k-1", "{}");
        storeDown = true;

        assertThatCode(() -> claim.finish(202, "{\"accepted\":1}")).doesNotThrowAnyException();
        assertThat(keys.unrecorded()).isEqualTo(1);

        storeDown = false;
        assertThat(keys.recordUnrecorded()).isEqualTo(1);
        assertThat(calls).endsWith("complete tenant-a k-1 202 {\"accepted\":1}");
        assertThat(keys.unrecorded()).isZero();
    }

    /** Issue 14: a 429 (or a 403 while the policy fails closed) was replayed for the key's whole TTL. */
    @Test
    void temporaryRefusalsReleaseTheKey() {
        for (int status : new int[] {429, 403, 409, 503, 500}) {
            calls.clear();
            keys.claim(CALLER, "k-" + status, "{}").finish(status, "{\"error\":{}}");

            assertThat(calls).as("after " + status).containsExactly("claim tenant-a k-" + status + " PT24H PT1M",
                    "release tenant-a k-" + status);
        }
    }

    @Test
    void answersARetryWouldGetAgainAreKept() {
        for (int status : new int[] {202, 400, 413, 422}) {
            calls.clear();
            keys.claim(CALLER, "k-" + status, "{}").finish(status, "{}");

            assertThat(calls).as("after " + status).endsWith("complete tenant-a k-" + status + " " + status + " {}");
        }
    }
}
