// One node per tenant.
CREATE CONSTRAINT tenant_id_unique IF NOT EXISTS FOR (t:Tenant) REQUIRE t.tenant_id IS UNIQUE;
// ADR-003: a signal's identity is (tenant_id, source, signal_id, ts); concurrent MERGEs of the
// same identity serialize on this constraint instead of creating two nodes.
CREATE CONSTRAINT signal_identity_unique IF NOT EXISTS FOR (s:Signal) REQUIRE (s.tenant_id, s.source, s.signal_id, s.ts) IS UNIQUE;
// The seed's indexes: lookup by signal id, and the scoring window (tenant, ts range).
CREATE INDEX signal_id IF NOT EXISTS FOR (s:Signal) ON (s.signal_id);
CREATE INDEX signal_tenant_ts IF NOT EXISTS FOR (s:Signal) ON (s.tenant_id, s.ts);
