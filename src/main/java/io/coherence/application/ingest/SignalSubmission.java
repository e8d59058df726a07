package io.coherence.application.ingest;

import io.coherence.application.TextRules;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * A signal as a client submitted it, before validation. Constraint messages are the error codes
 * the caller sees. {@code weight}, {@code ts} and {@code signalId} are optional.
 */
public final class SignalSubmission {

    static final String PRINTABLE = TextRules.PRINTABLE;
    static final String TRIMMED = TextRules.TRIMMED;
    static final int MAX_TEXT = TextRules.MAX_TEXT;
    /** {@link io.coherence.domain.signal.Signal#MAX_WEIGHT}, as the constraint needs it. */
    static final String MAX_WEIGHT = "1000000";

    @NotBlank(message = "REQUIRED")
    @Size(max = MAX_TEXT, message = "TOO_LONG")
    @Pattern(regexp = PRINTABLE, message = "NOT_PRINTABLE")
    @Pattern(regexp = TRIMMED, message = "NOT_PRINTABLE")
    private final String tenantId;

    @NotBlank(message = "REQUIRED")
    @Size(max = MAX_TEXT, message = "TOO_LONG")
    @Pattern(regexp = PRINTABLE, message = "NOT_PRINTABLE")
    @Pattern(regexp = TRIMMED, message = "NOT_PRINTABLE")
    private final String type;

    @NotNull(message = "REQUIRED")
    @DecimalMin(value = "0", message = "OUT_OF_RANGE")
    @DecimalMax(value = "1", message = "OUT_OF_RANGE")
    private final Double value;

    @Positive(message = "OUT_OF_RANGE")
    @DecimalMax(value = MAX_WEIGHT, message = "OUT_OF_RANGE")
    private final Double weight;

    @NotBlank(message = "REQUIRED")
    @Size(max = MAX_TEXT, message = "TOO_LONG")
    @Pattern(regexp = PRINTABLE, message = "NOT_PRINTABLE")
    @Pattern(regexp = TRIMMED, message = "NOT_PRINTABLE")
    private final String source;

    private final String ts;

    @Size(min = 1, max = MAX_TEXT, message = "TOO_LONG")
    @Pattern(regexp = "(?U)\\S(.*\\S)?", message = "NOT_PRINTABLE")
    @Pattern(regexp = PRINTABLE, message = "NOT_PRINTABLE")
    private final String signalId;

    public SignalSubmission(String tenantId, String type, Double value, Double weight, String source,
                            String ts, String signalId) {
        this.tenantId = tenantId;
        this.type = type;
        this.value = value;
        this.weight = weight;
        this.source = source;
        this.ts = ts;
        this.signalId = signalId;
    }

    public String tenantId() {
        return tenantId;
    }

    public String type() {
        return type;
    }

    public Double value() {
        return value;
    }

    public Double weight() {
        return weight;
    }

    public String source() {
        return source;
    }

    public String ts() {
        return ts;
    }

    public String signalId() {
        return signalId;
    }
}
