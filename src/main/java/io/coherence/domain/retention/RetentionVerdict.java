package io.coherence.domain.retention;

/**
 * Whether a signal is past its tenant's retention, with the reason in words; the same answer as
 * {@code opa/retention.rego} gives for the same tier, hold and age.
 */
public record RetentionVerdict(boolean prune, String explain) {
}
