package io.coherence.domain.signal;

/**
 * What storing one signal did: {@code ACCEPTED} created it (also when a retry of the same write
 * finds what its unacknowledged first attempt created), {@code DUPLICATE} found it already stored
 * by another write. {@code provenanceId} is that of the stored signal (the original one for a
 * duplicate). {@code sequence} is the accepted signal's position in its tenant's commit order (1, 2, 3, …,
 * gapless per tenant); a duplicate has none (0).
 */
public record WriteOutcome(Status status, String provenanceId, long sequence) {

    public enum Status { ACCEPTED, DUPLICATE }

    public static WriteOutcome accepted(String provenanceId, long sequence) {
        return new WriteOutcome(Status.ACCEPTED, provenanceId, sequence);
    }

    public static WriteOutcome duplicate(String provenanceId) {
        return new WriteOutcome(Status.DUPLICATE, provenanceId, 0);
    }

    public boolean accepted() {
        return status == Status.ACCEPTED;
    }
}
