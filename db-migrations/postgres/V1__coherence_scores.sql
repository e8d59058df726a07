-- The materialized per-tenant score, exactly as in the seed (ADR-001).
CREATE TABLE IF NOT EXISTS coherence_scores (
  tenant_id TEXT PRIMARY KEY,
  score NUMERIC(5,2) NOT NULL,
  status TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
