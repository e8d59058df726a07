/**
 * PostgreSQL adapters: the coherence_scores read model, the cluster-wide materializer lock,
 * idempotency keys and the erasure queue.
 */
package io.coherence.infrastructure.postgres;
