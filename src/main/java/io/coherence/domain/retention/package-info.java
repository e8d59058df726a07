/**
 * Retention tiers and their cut-offs: how long a tenant's signals are kept; what the ledger records of a pruned batch.
 */
package io.coherence.domain.retention;
