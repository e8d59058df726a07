package io.coherence.interfaces.graphql;

import io.coherence.domain.retention.RetentionTier;
import io.coherence.domain.tenant.TenantDataPolicy;
import java.time.Instant;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

/** GraphQL type {@code TenantDataPolicy}. */
@Type("TenantDataPolicy")
@Description("How a tenant's data may be used and how long it is kept.")
public class TenantDataPolicyView {

    /** The updatedAt of a tenant that never set its own policy and has the defaults. */
    static final String NEVER = Instant.EPOCH.toString();

    private final TenantDataPolicy policy;

    TenantDataPolicyView(TenantDataPolicy policy) {
        this.policy = policy;
    }

    public @Id @NonNull String getTenantId() {
        return policy.tenant().value();
    }

    public @NonNull RetentionTier getRetentionTier() {
        return policy.tier();
    }

    public @NonNull String getPurpose() {
        return policy.purpose();
    }

    public @NonNull String getLicense() {
        return policy.license();
    }

    public @NonNull String getResidency() {
        return policy.residency();
    }

    @Description("Under legal hold nothing of the tenant is pruned or erased, whatever its tier.")
    public boolean isLegalHold() {
        return policy.legalHold();
    }

    @Description("When the policy last changed (ISO-8601); 1970-01-01T00:00:00Z for a tenant on the defaults.")
    public @NonNull String getUpdatedAt() {
        return policy.updatedAt() == null ? NEVER : policy.updatedAt().toString();
    }
}
