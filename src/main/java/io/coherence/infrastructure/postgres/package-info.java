/**
 * PostgreSQL adapters: the coherence_scores read model and the cluster-wide materializer lock.
 */
package io.coherence.infrastructure.postgres;
