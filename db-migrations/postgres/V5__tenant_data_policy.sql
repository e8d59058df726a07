-- A tenant's data policy (issue 15). A tenant without a row has the configured defaults
-- (COHERENCE_POLICY_*). version counts changes; ledger_version is the last version whose POLICY
-- entry the provenance ledger holds: the ledger lives in Neo4j, so a change is written here first
-- and a replica appends any entry still missing (ledger_version < version) on its next tick.
CREATE TABLE IF NOT EXISTS tenant_data_policy (
    tenant_id      TEXT PRIMARY KEY,
    retention_tier TEXT NOT NULL CHECK (retention_tier IN ('ephemeral-7d', 'short-30d', 'standard-365d', 'long-1825d', 'legal-hold')),
    purpose        TEXT NOT NULL,
    license        TEXT NOT NULL,
    residency      TEXT NOT NULL,
    legal_hold     BOOLEAN NOT NULL DEFAULT FALSE,
    version        BIGINT NOT NULL DEFAULT 1,
    ledger_version BIGINT NOT NULL DEFAULT 0,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tenant_data_policy_ledger_behind ON tenant_data_policy (tenant_id) WHERE ledger_version < version;
