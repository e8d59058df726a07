package io.coherence.application.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.application.security.PolicySettingsFixture;
import io.coherence.domain.policy.AuthzRules;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.provenance.LedgerAction;
import io.coherence.domain.provenance.LedgerEntry;
import io.coherence.domain.provenance.LedgerExporter;
import io.coherence.domain.provenance.LedgerVerification;
import io.coherence.domain.provenance.ProvenanceLedger;
import io.coherence.domain.tenant.TenantId;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class LedgerServiceTest {

    /** Remembers which tenants were read; answers a fixed verification. */
    static final class FakeLedger implements ProvenanceLedger, LedgerExporter {
        final List<String> read = new ArrayList<>();
        RuntimeException failure;

        @Override
        public LedgerEntry record(TenantId tenant, LedgerAction action, String summary, String digest) {
            throw new UnsupportedOperationException();
        }

        @Override
        public LedgerVerification verify(TenantId tenant) {
            read.add(tenant.value());
            if (failure != null) {
                throw failure;
            }
            return new LedgerVerification(3, false, 2L);
        }

        @Override
        public void export(TenantId tenant, java.io.Writer out) throws java.io.IOException {
            read.add(tenant.value());
            out.write("exported " + tenant.value());
        }
    }

    private final FakeLedger ledger = new FakeLedger();
    private final LedgerService service = new LedgerService(new PolicyEnforcer(new AuthzRules(), PolicySettingsFixture.US),
            ledger, ledger, null);
    private final Caller governor = new Caller("ops", Optional.of("t-1"), Set.of("coherence:admin"));

    @Test
    void aGovernorOfTheTenantVerifiesAndExportsItsLedger() throws Exception {
        assertThat(service.verify(governor, "t-1")).isEqualTo(new LedgerVerification(3, false, 2L));
        StringWriter out = new StringWriter();
        service.export(governor, "t-1").writeTo(out);

        assertThat(out.toString()).isEqualTo("exported t-1");
        assertThat(ledger.read).containsExactly("t-1", "t-1");
    }

    @Test
    void otherTenantsAndCallersWithoutTheAdminScopeAreRefusedBeforeAnythingIsRead() {
        Caller readerWriter = new Caller("app", Optional.of("t-1"), Set.of("coherence:read", "coherence:write"));
        Caller noTenant = new Caller("ops", Optional.empty(), Set.of("coherence:admin"));

        assertRefused(() -> service.verify(governor, "t-2"), ErrorCode.FORBIDDEN);
        assertRefused(() -> service.export(governor, "t-2"), ErrorCode.FORBIDDEN);
        assertRefused(() -> service.verify(readerWriter, "t-1"), ErrorCode.FORBIDDEN);
        assertRefused(() -> service.export(readerWriter, "t-1"), ErrorCode.FORBIDDEN);
        assertRefused(() -> service.verify(noTenant, "t-1"), ErrorCode.FORBIDDEN);
        assertThat(ledger.read).isEmpty();
    }

    @Test
    void malformedTenantIdsAreRefusedByName() {
        for (String bad : new String[] {"", " ", "x".repeat(129), "t-1\u0000", "t\n1"}) {
            assertThatThrownBy(() -> service.verify(governor, bad)).isInstanceOfSatisfying(CoherenceException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.BAD_USER_INPUT);
                assertThat(e.violations()).singleElement().satisfies(v -> assertThat(v.field()).isEqualTo("tenantId"));
            });
        }
        assertRefused(() -> service.export(governor, null), ErrorCode.BAD_USER_INPUT);
        assertThat(ledger.read).isEmpty();
    }

    @Test
    void aStoreThatFailsIsUnavailableNotAnAnswer() {
        ledger.failure = new IllegalStateException("connection refused");

        assertRefused(() -> service.verify(governor, "t-1"), ErrorCode.STORE_UNAVAILABLE);
    }

    private static void assertRefused(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CoherenceException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
