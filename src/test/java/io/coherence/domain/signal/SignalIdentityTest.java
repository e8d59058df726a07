package io.coherence.domain.signal;

import io.coherence.domain.tenant.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class SignalIdentityTest {

    private static final TenantId TENANT = TenantId.of("tenant-a");
    private static final Instant TS = Instant.parse("2026-03-01T12:00:00Z");

    private static String base() {
        return SignalIdentity.deriveSignalId(TENANT, "latency", 0.5, 1.0, "probe-1", TS);
    }

    @Test
    void derivingTwiceGivesTheSameId() {
        assertThat(SignalIdentity.deriveSignalId(TenantId.of("tenant-a"), "latency", 0.5, 1.0, "probe-1",
                Instant.parse("2026-03-01T12:00:00Z"))).isEqualTo(base());
    }

    @Test
    void derivedIdsArePrefixedAndCarryAHashPrefix() {
        assertThat(SignalIdentity.DERIVED_PREFIX).isEqualTo("sha256:");
        assertThat(base()).startsWith("sha256:").matches("sha256:[0-9a-f]{32}");
    }

    @Test
    void equalInstantsWrittenDifferentlyGiveTheSameId() {
        Instant sameInstant = OffsetDateTime.parse("2026-03-01T13:00:00+01:00").toInstant();

        assertThat(SignalIdentity.deriveSignalId(TENANT, "latency", 0.5, 1.0, "probe-1", sameInstant))
                .isEqualTo(base());
    }

    static Stream<Arguments> oneFieldChanged() {
        return Stream.of(
                Arguments.of("tenant", SignalIdentity.deriveSignalId(TenantId.of("tenant-b"), "latency", 0.5, 1.0, "probe-1", TS)),
                Arguments.of("type", SignalIdentity.deriveSignalId(TENANT, "errors", 0.5, 1.0, "probe-1", TS)),
                Arguments.of("value", SignalIdentity.deriveSignalId(TENANT, "latency", 0.51, 1.0, "probe-1", TS)),
                Arguments.of("weight", SignalIdentity.deriveSignalId(TENANT, "latency", 0.5, 2.0, "probe-1", TS)),
                Arguments.of("source", SignalIdentity.deriveSignalId(TENANT, "latency", 0.5, 1.0, "probe-2", TS)),
                Arguments.of("ts", SignalIdentity.deriveSignalId(TENANT, "latency", 0.5, 1.0, "probe-1", TS.plusNanos(1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneFieldChanged")
    void changingAnyFieldChangesTheId(String field, String derived) {
        assertThat(derived).matches("sha256:[0-9a-f]{32}").isNotEqualTo(base());
    }

    @Test
    void everyVariantIsDistinctFromEveryOther() {
        List<String> ids = oneFieldChanged().map(a -> (String) a.get()[1]).toList();
        Set<String> distinct = new HashSet<>(ids);
        distinct.add(base());

        assertThat(distinct).hasSize(ids.size() + 1);
    }

    @Test
    void anIdentityNeedsAllItsParts() {
        assertThatNullPointerException().isThrownBy(() -> new SignalIdentity(null, "s", "id", TS));
        assertThatNullPointerException().isThrownBy(() -> new SignalIdentity(TENANT, null, "id", TS));
        assertThatNullPointerException().isThrownBy(() -> new SignalIdentity(TENANT, "s", null, TS));
        assertThatNullPointerException().isThrownBy(() -> new SignalIdentity(TENANT, "s", "id", null));
    }

    @Test
    void identitiesWithEqualPartsAreEqual() {
        assertThat(new SignalIdentity(TENANT, "probe-1", "sig-1", TS))
                .isEqualTo(new SignalIdentity(TenantId.of("tenant-a"), "probe-1", "sig-1", Instant.parse("2026-03-01T12:00:00Z")))
                .isNotEqualTo(new SignalIdentity(TENANT, "probe-1", "sig-1", TS.plusMillis(1)));
    }
}
