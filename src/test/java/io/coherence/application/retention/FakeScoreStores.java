package io.coherence.application.retention;

import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreCache;
import io.coherence.domain.score.ScoreRepository;
import io.coherence.domain.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The materialized score's stores, in memory: PostgreSQL's rows and the cache, with what retention asked of them. */
final class FakeScoreStores implements ScoreRepository, ScoreCache {

    final Map<TenantId, CoherenceScore> rows = new HashMap<>();
    final Map<TenantId, CoherenceScore> cached = new HashMap<>();
    final List<String> deletions = new ArrayList<>();

    @Override
    public boolean upsert(CoherenceScore score) {
        rows.put(score.tenant(), score);
        return true;
    }

    @Override
    public Optional<CoherenceScore> find(TenantId tenant) {
        return Optional.ofNullable(rows.get(tenant));
    }

    @Override
    public boolean delete(TenantId tenant, Instant notAfter) {
        deletions.add("row " + tenant + " <= " + notAfter);
        CoherenceScore row = rows.get(tenant);
        if (row == null || row.updatedAt().isAfter(notAfter)) {
            return false;
        }
        rows.remove(tenant);
        return true;
    }

    @Override
    public Optional<CoherenceScore> get(TenantId tenant) {
        return Optional.ofNullable(cached.get(tenant));
    }

    @Override
    public void put(CoherenceScore score) {
        cached.put(score.tenant(), score);
    }

    @Override
    public void evict(TenantId tenant) {
        deletions.add("cache " + tenant);
        cached.remove(tenant);
    }
}
