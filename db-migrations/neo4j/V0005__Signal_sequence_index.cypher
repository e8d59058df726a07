// Issue 19: a subscriber that resumes, and the event bridge repairing a gap, read a tenant's
// signals by sequence number (Neo4jEventHistory).
CREATE INDEX signal_tenant_sequence IF NOT EXISTS FOR (s:Signal) ON (s.tenant_id, s.sequence);
