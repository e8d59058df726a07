package io.coherence.domain.erasure;

import java.util.Optional;

/**
 * The steps of an erasure, in the order a worker runs them. Each reaches one store and is
 * idempotent, so a worker that takes over a request after a crash runs the stored step again.
 * Idempotency keys come first: their stored answers are found through the provenance ids the
 * signals still carry.
 */
public enum ErasureStep {
    /** PostgreSQL: Idempotency-Key answers naming the subject's signals are redacted. */
    IDEMPOTENCY_KEYS,
    /** Neo4j: the subject's signals are deleted or minimized, batch by batch, each with its ledger entry. */
    SIGNALS,
    /** PostgreSQL and the graph: the tenant's score is recomputed (or removed with the whole tenant). */
    SCORE,
    /** Redis: the tenant's cached score is evicted. */
    CACHE,
    /** The event paths: events held in reorder or coalescing buffers before the erasure have gone out. */
    EVENTS,
    /** The audit package is built, signed and stored; the request completes. */
    AUDIT;

    /** The step after this one; empty after the last. */
    public Optional<ErasureStep> next() {
        ErasureStep[] all = values();
        return ordinal() + 1 < all.length ? Optional.of(all[ordinal() + 1]) : Optional.empty();
    }

    public static ErasureStep first() {
        return IDEMPOTENCY_KEYS;
    }
}
