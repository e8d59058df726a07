package io.coherence.application.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.Violation;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.application.security.PolicySettingsFixture;
import io.coherence.domain.policy.AuthzRules;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.provenance.LedgerAction;
import io.coherence.domain.provenance.LedgerEntry;
import io.coherence.domain.provenance.LedgerVerification;
import io.coherence.domain.provenance.ProvenanceLedger;
import io.coherence.domain.retention.RetentionTier;
import io.coherence.domain.tenant.TenantDataPolicy;
import io.coherence.domain.tenant.TenantDataPolicyStore;
import io.coherence.domain.tenant.TenantId;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DataPolicyServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Caller ADMIN = new Caller("ops", Optional.of("t1"), Set.of("coherence:admin", "coherence:read"));

    private static ValidatorFactory validators;

    private final FakeStore store = new FakeStore();
    private final List<String> ledger = new ArrayList<>();
    private boolean ledgerDown;
    private TenantPolicySnapshot snapshot;
    private DataPolicyService service;

    @BeforeAll
    static void createValidator() {
        validators = Validation.buildDefaultValidatorFactory();
    }

    @AfterAll
    static void closeValidator() {
        validators.close();
    }

    @BeforeEach
    void wire() {
        snapshot = new TenantPolicySnapshot(store, PolicySettingsFixture.US, new DataPolicySettings(Duration.ofSeconds(5)),
                Clock.fixed(NOW, ZoneOffset.UTC));
        service = new DataPolicyService(new PolicyEnforcer(new AuthzRules(), PolicySettingsFixture.US, snapshot, null),
                store, snapshot, new RecordingLedger(), PolicySettingsFixture.US, validators.getValidator());
    }

    @Test
    void aChangeIsInForceOnThisReplicaAtOnceAndInTheLedger() {
        service.change(ADMIN, new DataPolicyChange("t1", RetentionTier.SHORT_30D, null, null, null, null));

        assertThat(snapshot.of(TenantId.of("t1")).tier()).isEqualTo(RetentionTier.SHORT_30D);
        assertThat(snapshot.of(TenantId.of("t1")).purpose()).isEqualTo("benchmarking");
        assertThat(ledger).containsExactly("t1 POLICY policy v1 short-30d");
        assertThat(store.recordedUpTo).containsEntry("t1", 1L);
    }

    @Test
    void aChangeTheLedgerMissedIsRecordedLater() {
        ledgerDown = true;
        TenantDataPolicy changed = service.change(ADMIN, new DataPolicyChange("t1", null, null, null, null, true));
        assertThat(changed.legalHold()).isTrue();
        assertThat(ledger).isEmpty();

        ledgerDown = false;
        service.recordPending();
        service.recordPending();

        assertThat(ledger).containsExactly("t1 POLICY policy v1 standard-365d legal-hold");
    }

    @Test
    void aResidencyOtherThanTheDeploymentsIsRefused() {
        CoherenceException e = catchThrowableOfType(CoherenceException.class,
                () -> service.change(ADMIN, new DataPolicyChange("t1", null, null, null, "EU", null)));

        assertThat(e.code()).isEqualTo(ErrorCode.BAD_USER_INPUT);
        assertThat(e.violations()).extracting(Violation::code).containsExactly("RESIDENCY_MISMATCH");
        assertThat(store.rows).isEmpty();
        assertThat(ledger).isEmpty();
    }

    @Test
    void readingAnotherTenantOrChangingWithoutAdminIsForbidden() {
        Caller reader = new Caller("r", Optional.of("t1"), Set.of("coherence:read", "coherence:write"));

        assertThat(catchThrowableOfType(CoherenceException.class, () -> service.get(reader, "t2")).code())
                .isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(catchThrowableOfType(CoherenceException.class,
                () -> service.change(reader, new DataPolicyChange("t1", RetentionTier.SHORT_30D, null, null, null, null))).code())
                .isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(store.rows).isEmpty();
    }

    @Test
    void aStoreThatFailsChangesNothingAndSaysSo() {
        snapshot.refreshIfDue();
        store.down = true;

        CoherenceException e = catchThrowableOfType(CoherenceException.class,
                () -> service.change(ADMIN, new DataPolicyChange("t1", RetentionTier.SHORT_30D, null, null, null, null)));

        assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(e.getMessage()).contains("nothing was changed");
        assertThat(ledger).isEmpty();
    }

    @Test
    void theSnapshotKeepsItsLastLoadWhileTheStoreFails() {
        service.change(ADMIN, new DataPolicyChange("t1", RetentionTier.LONG_1825D, null, null, null, null));
        TenantPolicySnapshot other = new TenantPolicySnapshot(store, PolicySettingsFixture.US,
                new DataPolicySettings(Duration.ZERO), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(other.of(TenantId.of("t1")).tier()).isEqualTo(RetentionTier.LONG_1825D);

        store.down = true;
        other.refreshIfDue();

        assertThat(other.of(TenantId.of("t1")).tier()).isEqualTo(RetentionTier.LONG_1825D);
        assertThat(other.of(TenantId.of("t9")).tier()).isEqualTo(RetentionTier.STANDARD_365D);
    }

    @Test
    void aSnapshotThatNeverLoadedAnswersNothingRatherThanAGuess() {
        store.down = true;
        TenantPolicySnapshot cold = new TenantPolicySnapshot(store, PolicySettingsFixture.US,
                new DataPolicySettings(Duration.ofSeconds(5)), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(catchThrowableOfType(CoherenceException.class, () -> cold.of(TenantId.of("t1"))).code())
                .isEqualTo(ErrorCode.STORE_UNAVAILABLE);
    }

    private final class RecordingLedger implements ProvenanceLedger {
        @Override
        public LedgerEntry record(TenantId tenant, LedgerAction action, String summary, String digest) {
            if (ledgerDown) {
                throw new IllegalStateException("neo4j down");
            }
            ledger.add(tenant + " " + action + " " + summary);
            return LedgerEntry.link(tenant.value(), ledger.size(), NOW, action, summary, digest, LedgerEntry.GENESIS);
        }

        @Override
        public LedgerVerification verify(TenantId tenant) {
            throw new UnsupportedOperationException();
        }
    }

    /** Rows with versions; unrecorded() ignores the store's age filter (a test has no clock to wait on). */
    private static final class FakeStore implements TenantDataPolicyStore {
        final Map<String, Versioned> rows = new HashMap<>();
        final Map<String, Long> recordedUpTo = new HashMap<>();
        boolean down;

        @Override
        public Optional<TenantDataPolicy> find(TenantId tenant) {
            check();
            return Optional.ofNullable(rows.get(tenant.value())).map(Versioned::policy);
        }

        @Override
        public List<TenantDataPolicy> findAll() {
            check();
            return rows.values().stream().map(Versioned::policy).toList();
        }

        @Override
        public Versioned update(TenantId tenant, TenantDataPolicy defaults, UnaryOperator<TenantDataPolicy> change,
                                String updatedBy) {
            check();
            Versioned current = rows.get(tenant.value());
            TenantDataPolicy next = change.apply(current == null ? defaults : current.policy());
            TenantDataPolicy stamped = new TenantDataPolicy(next.tenant(), next.tier(), next.purpose(), next.license(),
                    next.residency(), next.legalHold(), NOW);
            Versioned saved = new Versioned(stamped, current == null ? 1 : current.version() + 1);
            rows.put(tenant.value(), saved);
            return saved;
        }

        @Override
        public List<Versioned> unrecorded() {
            check();
            return rows.values().stream().filter(v -> recordedUpTo.getOrDefault(v.policy().tenant().value(), 0L) < v.version())
                    .toList();
        }

        @Override
        public void recorded(TenantId tenant, long version) {
            recordedUpTo.merge(tenant.value(), version, Math::max);
        }

        private void check() {
            if (down) {
                throw new IllegalStateException("postgres down");
            }
        }
    }
}
