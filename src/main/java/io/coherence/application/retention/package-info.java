/**
 * Retention: pruning each tenant's signals older than its tier (never under legal hold), in
 * bounded batches with a ledger entry each, on a cluster-safe schedule or on request.
 */
package io.coherence.application.retention;
