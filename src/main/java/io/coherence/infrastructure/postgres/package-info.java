/**
 * PostgreSQL adapters: the coherence_scores read model, idempotency keys, the cluster-wide
 * materializer and retention locks, and the retention run's record.
 */
package io.coherence.infrastructure.postgres;
