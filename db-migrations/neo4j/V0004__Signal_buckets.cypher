// Per-tenant, per-minute sums of the signals (issue 16): the scoring window reads these instead of
// every signal. One node per (tenant, minute), so concurrent first writes of a minute merge; the
// constraint's index also serves the window's range read. Buckets for signals stored before are
// built at application start (SignalBuckets.backfill), tenant by tenant under the tenant's lock.
CREATE CONSTRAINT signal_bucket_unique IF NOT EXISTS FOR (b:SignalBucket) REQUIRE (b.tenant_id, b.minute) IS UNIQUE;
