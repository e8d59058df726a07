// The provenance ledger: one chain per tenant, entries numbered 1, 2, 3, ... (issue 15).
CREATE CONSTRAINT ledger_entry_unique IF NOT EXISTS FOR (e:LedgerEntry) REQUIRE (e.tenant_id, e.sequence) IS UNIQUE;
