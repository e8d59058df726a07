package io.coherence.interfaces.graphql;

import io.coherence.domain.erasure.ErasureScope;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

/** GraphQL input {@code ErasureRequestInput}; validated by the erasure service. */
@Input("ErasureRequestInput")
public class ErasureRequestInput {

    private String tenantId;
    private String subjectId;
    private ErasureScope scope;

    public @Id @NonNull String getTenantId() {
        return tenantId;
    }

    public void setTenantId(@Id @NonNull String tenantId) {
        this.tenantId = tenantId;
    }

    public @NonNull String getSubjectId() {
        return subjectId;
    }

    public void setSubjectId(@NonNull String subjectId) {
        this.subjectId = subjectId;
    }

    public @NonNull ErasureScope getScope() {
        return scope;
    }

    public void setScope(@NonNull ErasureScope scope) {
        this.scope = scope;
    }
}
