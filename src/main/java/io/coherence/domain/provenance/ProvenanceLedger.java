package io.coherence.domain.provenance;

import io.coherence.domain.tenant.TenantId;

/**
 * The hash-chained provenance ledger. Changes made in the signal store append their entries in
 * their own transaction (see the Neo4j adapter); this port records a change made elsewhere (a
 * data-policy change in PostgreSQL) and checks a tenant's chain.
 */
public interface ProvenanceLedger {

    /** Appends one entry in a transaction of its own; returns it as stored. */
    LedgerEntry record(TenantId tenant, LedgerAction action, String summary, String digest);

    LedgerVerification verify(TenantId tenant);
}
