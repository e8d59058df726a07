-- The scheduled retention run (issue 15): one row per job, shared by the replicas. A replica's timer
-- reads it to decide whether a run is due (COHERENCE_RETENTION_INTERVAL after the start of the last
-- completed run; COHERENCE_RETENTION_RETRY_AFTER after a failed attempt); the run itself holds a
-- PostgreSQL advisory lock. What each run deleted is in the provenance ledger, per tenant and batch.
CREATE TABLE IF NOT EXISTS retention_runs (
    job                  TEXT PRIMARY KEY,
    last_completed_start TIMESTAMPTZ,
    last_attempt_start   TIMESTAMPTZ NOT NULL,
    last_attempt_end     TIMESTAMPTZ NOT NULL,
    last_outcome         TEXT NOT NULL CHECK (last_outcome IN ('completed', 'failed')),
    last_reason          TEXT,
    last_tenants         INTEGER NOT NULL DEFAULT 0,
    last_deleted         BIGINT NOT NULL DEFAULT 0
);
