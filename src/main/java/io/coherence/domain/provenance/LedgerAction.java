package io.coherence.domain.provenance;

/** What a ledger entry records: a change to a tenant's data or to the rules it is kept under. */
public enum LedgerAction {
    /** Signals created by one ingest transaction. */
    INGEST,
    /** Signals deleted by a retention run (one entry per deleted batch). */
    RETENTION,
    /** Signals deleted or minimized by an erasure request (one entry per step). */
    ERASURE,
    /** A change of the tenant's data policy. */
    POLICY
}
