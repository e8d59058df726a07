package io.coherence.application.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.limits.Admission;
import io.coherence.application.limits.RateLimit;
import io.coherence.application.limits.RateLimitSettings;
import io.coherence.application.limits.RateLimiter;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.application.security.PolicySettingsFixture;
import io.coherence.domain.policy.AuthzRules;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.tenant.PolicyTags;
import io.coherence.testsupport.Eventually;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idempotency-Key outcomes over the real ingest path, with in-memory signal and key stores. */
class IdempotentIngestTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final PolicyTags TAGS = new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US");
    private static final Caller WRITER = new Caller("alice", Optional.of("tenant-a"), Set.of("coherence:write"));
    private static final Caller READER = new Caller("bob", Optional.of("tenant-a"), Set.of("coherence:read"));
    private static final String BODY = "{\"tenantId\":\"tenant-a\",\"type\":\"t\",\"value\":0.5,\"source\":\"s\","
            + "\"signalId\":\"sig-1\",\"ts\":\"2026-03-01T11:59:00Z\"}";

    private static ValidatorFactory validators;

    private final FakeSignalRepository repository = new FakeSignalRepository();
    private final FakeIdempotencyStore store = new FakeIdempotencyStore();
    private GroupCommitWriter writer;
    private IdempotencyKeys keys;
    private IdempotentIngest ingest;
    /** Set by a test: what the tenant's signal bucket does (it runs after the key is claimed). */
    private Runnable rateBucket = () -> { };
    private boolean rateLimited;

    @BeforeAll
    static void createValidator() {
        validators = Validation.buildDefaultValidatorFactory();
    }

    @AfterAll
    static void closeValidator() {
        validators.close();
    }

    @AfterEach
    void closeWriter() {
        repository.release();
        writer.close();
    }

    private void wire(Duration writeTimeout) {
        WriterSettings settings = new WriterSettings(100, Duration.ZERO, 1, writeTimeout, 100);
        writer = new GroupCommitWriter(repository, settings);
        IngestMetrics metrics = new SilentIngestMetrics();
        RateLimiter limiter = new RateLimiter((key, limit, tokens) -> {
            rateBucket.run();
            return rateLimited ? Admission.refused(Duration.ofSeconds(1), null) : Admission.ADMITTED;
        }, () -> new RateLimitSettings(RateLimit.OFF, RateLimit.OFF, new RateLimit(1000, 1000)));
        IngestService service = new IngestService(new SignalValidation(validators.getValidator()),
                new PolicyEnforcer(new AuthzRules(), PolicySettingsFixture.US), PolicySettingsFixture.DEFAULTS, limiter, writer,
                new IngestSettings(10, 1024 * 1024, Duration.ofMinutes(5)), metrics,
                Clock.fixed(NOW, ZoneOffset.UTC));
        keys = new IdempotencyKeys();
        keys.store = store;
        keys.ttl = Duration.ofHours(24);
        keys.writer = settings;
        ingest = new IdempotentIngest(service, keys);
    }

    /** The edge's answers, kept short: the status and what the body says. */
    private final IdempotentIngest.Answers answers = new IdempotentIngest.Answers() {
        @Override
        public IdempotencyStore.Answered accepted(IngestReceipt receipt) {
            return new IdempotencyStore.Answered(202,
                    receipt.items().stream().map(IngestReceipt.Item::status).collect(Collectors.joining(",")));
        }

        @Override
        public IdempotencyStore.Answered refused(CoherenceException refusal) {
            int status = switch (refusal.code()) {
                case RATE_LIMITED -> 429;
                case FORBIDDEN -> 403;
                case STORE_UNAVAILABLE -> 503;
                default -> 400;
            };
            return new IdempotencyStore.Answered(status, refusal.code().name());
        }
    };

    private IdempotentIngest.Result ingest(Caller caller, String key) {
        return ingest.ingest(caller, key, BODY, answers);
    }

    private static CoherenceException refusal(Runnable call) {
        return catchThrowableOfType(CoherenceException.class, call::run);
    }

    /** Issue 14: the key was claimed before the policy, so a read-only token occupied it. */
    @Test
    void aCallerThatMayNotWriteNeverClaimsAKey() {
        wire(Duration.ofSeconds(10));

        assertThat(refusal(() -> ingest(READER, "k-1")).code()).isEqualTo(ErrorCode.FORBIDDEN);

        assertThat(store.calls()).isEmpty();
        assertThat(ingest(WRITER, "k-1")).isInstanceOf(IdempotentIngest.Fresh.class);
        assertThat(repository.count()).isEqualTo(1);
    }

    @Test
    void anInvalidRequestClaimsNoKey() {
        wire(Duration.ofSeconds(10));

        assertThat(refusal(() -> ingest.ingest(WRITER, "k-1", "{\"tenantId\":\"tenant-a\"}", answers)).code())
                .isEqualTo(ErrorCode.BAD_USER_INPUT);

        assertThat(store.calls()).isEmpty();
    }

    /** Issue 14: a 429 was kept as the key's answer and replayed for 24 h. */
    @Test
    void aRateLimitedRequestReleasesItsKeySoTheRetryRuns() {
        wire(Duration.ofSeconds(10));
        rateLimited = true;

        assertThat(refusal(() -> ingest(WRITER, "k-1")).code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(store.state("tenant-a", "k-1")).isEqualTo("absent");

        rateLimited = false;
        assertThat(ingest(WRITER, "k-1")).isInstanceOf(IdempotentIngest.Fresh.class);
        assertThat(store.state("tenant-a", "k-1")).isEqualTo("done 202");
    }

    /**
     * Issue 14: the key store failing after the commit turned the answer into 503 "nothing was
     * written", and the key stayed running until its claim could be taken over.
     */
    @Test
    void aKeyStoreThatFailsAfterTheCommitLeavesThe202AndGetsTheAnswerWhenItReturns() {
        wire(Duration.ofSeconds(10));
        IdempotentIngest.Answers failingAfterCommit = new IdempotentIngest.Answers() {
            @Override
            public IdempotencyStore.Answered accepted(IngestReceipt receipt) {
                store.down(true);
                return answers.accepted(receipt);
            }

            @Override
            public IdempotencyStore.Answered refused(CoherenceException refusal) {
                return answers.refused(refusal);
            }
        };

        IdempotentIngest.Result first = ingest.ingest(WRITER, "k-1", BODY, failingAfterCommit);

        assertThat(first).isInstanceOf(IdempotentIngest.Fresh.class);
        assertThat(repository.count()).isEqualTo(1);
        assertThat(store.state("tenant-a", "k-1")).isEqualTo("running");
        assertThat(keys.unrecorded()).isEqualTo(1);
        assertThat(keys.recordUnrecorded()).as("while the store is still down").isZero();

        store.down(false);
        assertThat(keys.recordUnrecorded()).isEqualTo(1);

        assertThat(store.state("tenant-a", "k-1")).isEqualTo("done 202");
        assertThat(ingest(WRITER, "k-1")).isEqualTo(
                new IdempotentIngest.Replayed(new IdempotencyStore.Answered(202, "accepted")));
        assertThat(repository.count()).isEqualTo(1);
    }

    @Test
    void aReleaseTheKeyStoreMissedIsDoneWhenItReturnsSoRetriesAreNotHeldOff() {
        wire(Duration.ofSeconds(10));
        rateLimited = true;
        rateBucket = () -> store.down(true);

        assertThat(refusal(() -> ingest(WRITER, "k-1")).code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(store.state("tenant-a", "k-1")).isEqualTo("running");

        store.down(false);
        rateBucket = () -> { };
        rateLimited = false;
        keys.recordUnrecorded();

        assertThat(store.state("tenant-a", "k-1")).isEqualTo("absent");
        assertThat(ingest(WRITER, "k-1")).isInstanceOf(IdempotentIngest.Fresh.class);
    }

    /**
     * Issue 14: a write that outlived its caller's timeout was answered 503 "nothing is
     * acknowledged", the key released, and the write committed later.
     */
    @Test
    void aWriteInDoubtKeepsTheKeyUntilTheStoreAnswersThenReplaysTheRealOutcome() throws Exception {
        wire(Duration.ofMillis(300));
        repository.hold();

        OutcomeUnknownException inDoubt = catchThrowableOfType(OutcomeUnknownException.class, () -> ingest(WRITER, "k-1"));

        assertThat(inDoubt.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
        assertThat(store.state("tenant-a", "k-1")).isEqualTo("running");
        assertThat(refusal(() -> ingest(WRITER, "k-1")).code()).as("a retry while the write is in doubt")
                .isEqualTo(ErrorCode.IDEMPOTENCY_KEY_IN_USE);

        repository.release();
        inDoubt.outcomes().toCompletableFuture().get(20, TimeUnit.SECONDS);
        Eventually.await("the late answer is known", Duration.ofSeconds(20), () -> keys.unrecorded() == 1);

        assertThat(ingest(WRITER, "k-1")).isEqualTo(
                new IdempotentIngest.Replayed(new IdempotencyStore.Answered(202, "accepted")));
        assertThat(repository.count()).isEqualTo(1);
    }

    @Test
    void aWriteInDoubtThatFailsReleasesTheKey() throws Exception {
        wire(Duration.ofMillis(300));
        repository.hold();
        repository.failWhenSaving(s -> true);

        OutcomeUnknownException inDoubt = catchThrowableOfType(OutcomeUnknownException.class, () -> ingest(WRITER, "k-1"));
        repository.release();
        Eventually.await("the late failure is known", Duration.ofSeconds(20), () -> keys.unrecorded() == 1);
        keys.recordUnrecorded();

        assertThat(inDoubt.outcomes().toCompletableFuture()).isCompletedExceptionally();
        assertThat(store.state("tenant-a", "k-1")).isEqualTo("absent");
    }
}
