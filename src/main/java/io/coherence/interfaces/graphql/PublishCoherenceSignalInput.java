package io.coherence.interfaces.graphql;

import io.coherence.application.ingest.SignalSubmission;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

/** GraphQL input {@code PublishCoherenceSignalInput}; validated by the ingest service like HTTP. */
@Input("PublishCoherenceSignalInput")
public class PublishCoherenceSignalInput {

    private String tenantId;
    private String type;
    private double value;
    private Double weight;
    private String source;
    private OffsetDateTime ts;

    SignalSubmission toSubmission() {
        return new SignalSubmission(tenantId, type, value, weight, source, ts == null ? null : ts.toString(), null);
    }

    public @Id @NonNull String getTenantId() {
        return tenantId;
    }

    public void setTenantId(@Id @NonNull String tenantId) {
        this.tenantId = tenantId;
    }

    public @NonNull String getType() {
        return type;
    }

    public void setType(@NonNull String type) {
        this.type = type;
    }

    public double getValue() {
        return value;
    }

    public void setValue(double value) {
        this.value = value;
    }

    public Double getWeight() {
        return weight;
    }

    public void setWeight(Double weight) {
        this.weight = weight;
    }

    public @NonNull String getSource() {
        return source;
    }

    public void setSource(@NonNull String source) {
        this.source = source;
    }

    public OffsetDateTime getTs() {
        return ts;
    }

    public void setTs(OffsetDateTime ts) {
        this.ts = ts;
    }
}
