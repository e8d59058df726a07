package io.coherence.interfaces.graphql;

import io.coherence.application.tenant.DataPolicyChange;
import io.coherence.domain.retention.RetentionTier;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

/** GraphQL input {@code TenantDataPolicyInput}: an absent field stays as it is. */
@Input("TenantDataPolicyInput")
public class TenantDataPolicyInput {

    private String tenantId;
    private RetentionTier retentionTier;
    private String purpose;
    private String license;
    private String residency;
    private Boolean legalHold;

    DataPolicyChange toChange() {
        return new DataPolicyChange(tenantId, retentionTier, purpose, license, residency, legalHold);
    }

    public @Id @NonNull String getTenantId() {
        return tenantId;
    }

    public void setTenantId(@Id @NonNull String tenantId) {
        this.tenantId = tenantId;
    }

    public RetentionTier getRetentionTier() {
        return retentionTier;
    }

    public void setRetentionTier(RetentionTier retentionTier) {
        this.retentionTier = retentionTier;
    }

    public String getPurpose() {
        return purpose;
    }

    public void setPurpose(String purpose) {
        this.purpose = purpose;
    }

    public String getLicense() {
        return license;
    }

    public void setLicense(String license) {
        this.license = license;
    }

    public String getResidency() {
        return residency;
    }

    public void setResidency(String residency) {
        this.residency = residency;
    }

    public Boolean getLegalHold() {
        return legalHold;
    }

    public void setLegalHold(Boolean legalHold) {
        this.legalHold = legalHold;
    }
}
