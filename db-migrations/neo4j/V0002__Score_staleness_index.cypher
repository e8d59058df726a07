// The materializer lists tenants whose score is older than the staleness bound, oldest first.
CREATE INDEX coherence_score_updated_at IF NOT EXISTS FOR (c:CoherenceScore) ON (c.updated_at);
