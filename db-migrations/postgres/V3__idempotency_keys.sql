-- Idempotency-Key on ingest (IETF httpapi draft): one row per (tenant, key). A request claims its
-- key as 'running'; it becomes 'done' with the answer to replay, or is deleted when the request
-- failed on the server's side (5xx) so that a retry may run. Rows older than
-- COHERENCE_IDEMPOTENCY_TTL are taken over by the next request with that key.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    tenant_scope  TEXT        NOT NULL,
    idem_key      TEXT        NOT NULL,
    request_hash  TEXT        NOT NULL,
    state         TEXT        NOT NULL CHECK (state IN ('running', 'done')),
    status        INTEGER,
    response      TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_scope, idem_key)
);

CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);
