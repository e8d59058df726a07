package io.coherence.domain.signal;

/**
 * What storing one signal did: {@code ACCEPTED} created it, {@code DUPLICATE} found it already
 * stored. {@code provenanceId} is that of the stored signal (the original one for a duplicate).
 */
public record WriteOutcome(Status status, String provenanceId) {

    public enum Status { ACCEPTED, DUPLICATE }

    public static WriteOutcome accepted(String provenanceId) {
        return new WriteOutcome(Status.ACCEPTED, provenanceId);
    }

    public static WriteOutcome duplicate(String provenanceId) {
        return new WriteOutcome(Status.DUPLICATE, provenanceId);
    }
}
