package io.coherence.domain.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coherence.domain.tenant.PolicyTags;
import io.coherence.domain.tenant.TenantDataPolicy;
import io.coherence.domain.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetentionTierTest {

    private static final Instant NOW = Instant.parse("2026-12-02T00:00:00Z");

    @Test
    void eachTierKeepsItsDaysAndLegalHoldKeepsEverything() {
        assertThat(RetentionTier.EPHEMERAL_7D.cutoff(NOW)).contains(NOW.minus(Duration.ofDays(7)));
        assertThat(RetentionTier.SHORT_30D.cutoff(NOW)).contains(NOW.minus(Duration.ofDays(30)));
        assertThat(RetentionTier.STANDARD_365D.cutoff(NOW)).contains(NOW.minus(Duration.ofDays(365)));
        assertThat(RetentionTier.LONG_1825D.cutoff(NOW)).contains(NOW.minus(Duration.ofDays(1825)));
        assertThat(RetentionTier.LEGAL_HOLD.cutoff(NOW)).isEmpty();
    }

    @Test
    void tiersParseFromTheSeedsNamesAndTheEnumNames() {
        assertThat(RetentionTier.parse("short-30d")).isEqualTo(RetentionTier.SHORT_30D);
        assertThat(RetentionTier.parse("LONG_1825D")).isEqualTo(RetentionTier.LONG_1825D);
        assertThat(RetentionTier.parse(" Legal-Hold ")).isEqualTo(RetentionTier.LEGAL_HOLD);
        assertThatThrownBy(() -> RetentionTier.parse("forever")).hasMessageContaining("standard-365d");
    }

    @Test
    void aHoldByFlagOrByTierMeansNothingMayBePruned() {
        TenantDataPolicy flagged = new TenantDataPolicy(TenantId.of("t"), RetentionTier.EPHEMERAL_7D, "p", "l", "US", true, NOW);
        TenantDataPolicy tier = new TenantDataPolicy(TenantId.of("t"), RetentionTier.LEGAL_HOLD, "p", "l", "US", false, NOW);
        TenantDataPolicy plain = new TenantDataPolicy(TenantId.of("t"), RetentionTier.EPHEMERAL_7D, "p", "l", "US", false, NOW);

        assertThat(flagged.held()).isTrue();
        assertThat(flagged.pruneBefore(NOW)).isEmpty();
        assertThat(tier.held()).isTrue();
        assertThat(tier.pruneBefore(NOW)).isEmpty();
        assertThat(plain.held()).isFalse();
        assertThat(plain.pruneBefore(NOW)).contains(NOW.minus(Duration.ofDays(7)));
    }

    @Test
    void theDefaultsComeFromTheConfiguredTagsAndTheTagsFromThePolicy() {
        PolicyTags tags = new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US");
        TenantDataPolicy defaults = TenantDataPolicy.defaults(TenantId.of("t"), tags);

        assertThat(defaults.tier()).isEqualTo(RetentionTier.STANDARD_365D);
        assertThat(defaults.legalHold()).isFalse();
        assertThat(defaults.updatedAt()).isNull();
        assertThat(defaults.tags()).isEqualTo(tags);
    }
}
