/**
 * PostgreSQL adapters: the coherence_scores read model, idempotency keys, the cluster-wide
 * materializer and retention locks, the retention run's record, tenants' data policies and the
 * erasure queue.
 */
package io.coherence.infrastructure.postgres;
