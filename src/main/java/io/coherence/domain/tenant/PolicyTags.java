package io.coherence.domain.tenant;

import java.util.Objects;

/**
 * The policy tags every signal carries: why it may be used, how long it is kept, under which
 * licence, and where it must reside.
 */
public record PolicyTags(String purpose, String retention, String license, String residency) {

    public PolicyTags {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(license, "license");
        Objects.requireNonNull(residency, "residency");
    }
}
