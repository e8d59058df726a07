-- The materializer refreshes scores older than the staleness bound; find them without a scan.
CREATE INDEX IF NOT EXISTS coherence_scores_updated_at ON coherence_scores (updated_at);
