package io.coherence.interfaces.graphql;

import io.coherence.domain.erasure.ErasureRequest;
import io.coherence.domain.erasure.ErasureScope;
import io.coherence.domain.erasure.ErasureStatus;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

/** GraphQL type {@code ErasureRequest}. */
@Type("ErasureRequest")
@Description("An erasure request and how far it got.")
public class ErasureRequestView {

    private final ErasureRequest request;

    ErasureRequestView(ErasureRequest request) {
        this.request = request;
    }

    static ErasureRequestView of(ErasureRequest request) {
        return new ErasureRequestView(request);
    }

    public @Id @NonNull String getId() {
        return request.id().toString();
    }

    public @Id @NonNull String getTenantId() {
        return request.tenant().value();
    }

    @Description("The subject as given while the request is pending; \"sha256:<hex>\" of it once finished (\"*\" stays).")
    public @NonNull String getSubjectId() {
        return request.subjectId();
    }

    public @NonNull ErasureScope getScope() {
        return request.scope();
    }

    public @NonNull ErasureStatus getStatus() {
        return request.status();
    }

    public @NonNull String getRequestedAt() {
        return request.requestedAt().toString();
    }

    public String getCompletedAt() {
        return request.completedAt() == null ? null : request.completedAt().toString();
    }

    @Description("Signals deleted or minimized (once completed).")
    public Integer getAffected() {
        return request.affected() == null ? null : (int) Math.min(request.affected(), Integer.MAX_VALUE);
    }

    @Description("The signed audit package: a JWS (compact serialization) whose payload is the package (once completed).")
    public String getAuditSignature() {
        return request.auditSignature();
    }
}
