-- The erasure (right to be forgotten) queue: the seed's rtbf_requests, extended (issue 15,
-- docs/erasure.md). subject_id is kept as given only while a request waits or runs (the worker
-- needs it); when it finishes (completed, refused, failed) it becomes NULL and only subject_sha256
-- stays, except '*' (the whole tenant), which names nobody. audit holds what each finished step
-- found (JSON per step, no personal data); audit_package is the signed package, byte for byte, and
-- audit_signature its JWS. step is the step a worker runs next, so a takeover resumes there.
-- lease_owner/lease_until: the worker that holds a running request (a token per claim) and until
-- when; a request whose lease ended is claimed again (FOR UPDATE SKIP LOCKED). attempts counts
-- failed attempts.
CREATE TABLE IF NOT EXISTS rtbf_requests (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    subject_id      TEXT,
    subject_sha256  TEXT NOT NULL,
    tenant_id       TEXT NOT NULL,
    scope           TEXT NOT NULL CHECK (scope IN ('delete', 'minimize')),
    status          TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'running', 'completed', 'refused', 'failed')),
    requested_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at      TIMESTAMPTZ,
    completed_at    TIMESTAMPTZ,
    affected        BIGINT,
    audit           JSONB NOT NULL DEFAULT '{}'::jsonb,
    audit_package   TEXT,
    audit_signature TEXT,
    reason          TEXT,
    step            TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    lease_owner     TEXT,
    lease_until     TIMESTAMPTZ,
    CHECK (subject_id IS NOT NULL OR status IN ('completed', 'refused', 'failed'))
);
-- The worker's claim and the oldest-pending gauge look only at unfinished requests, oldest first.
CREATE INDEX IF NOT EXISTS rtbf_requests_pending ON rtbf_requests (requested_at)
    WHERE status IN ('queued', 'running');
CREATE INDEX IF NOT EXISTS rtbf_requests_tenant ON rtbf_requests (tenant_id, requested_at);
