-- Which replica (COHERENCE_REPLICA_NAME) and which start of it claimed a key. A replica that starts
-- again releases the running claims of its earlier start at once: that process died, and its
-- requests will not answer. Rows from before this migration have no owner and wait out the
-- running timeout as before.
ALTER TABLE idempotency_keys ADD COLUMN IF NOT EXISTS owner_replica TEXT;
ALTER TABLE idempotency_keys ADD COLUMN IF NOT EXISTS owner_boot TEXT;
CREATE INDEX IF NOT EXISTS idempotency_keys_running_owner ON idempotency_keys (owner_replica) WHERE state = 'running';
