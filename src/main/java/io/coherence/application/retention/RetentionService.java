package io.coherence.application.retention;

import io.coherence.application.TenantIds;
import io.coherence.application.scoring.ScoringSettings;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.domain.policy.Action;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.score.ScoreCache;
import io.coherence.domain.score.ScoreRepository;
import io.coherence.domain.tenant.TenantDataPolicies;
import io.coherence.domain.tenant.TenantDataPolicy;
import io.coherence.domain.tenant.TenantId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Prunes a tenant's signals older than the tier of its data policy in force now, batch by batch
 * (each batch its own short transaction with its ledger entry, so ingest waits at most one batch
 * for the tenant's lock); never a tenant under legal hold. A dry run only counts. Afterwards: a
 * tenant that lost signals inside the scoring window is scored again; a tenant left without
 * signals loses its score everywhere (graph, PostgreSQL, cache), as if it had never sent any.
 * A shorter tier therefore applies at the next run; a longer one cannot bring anything back.
 */
@ApplicationScoped
public class RetentionService {

    private static final Logger LOG = Logger.getLogger(RetentionService.class.getName());
    static final int TENANTS_PER_PAGE = 500;

    /** Who started a run, as {@code retention_signals_deleted_total} labels it. */
    public enum Trigger {
        SCHEDULE, REQUEST;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A whole run: tenants looked at, signals deleted, tenants whose pruning failed. */
    public record RunTotals(int tenants, long deleted, int failedTenants) {
    }

    private final RetentionStore store;
    private final TenantDataPolicies policies;
    private final ScoreRepository scores;
    private final ScoreCache cache;
    private final PolicyEnforcer enforcer;
    private final RetentionSettings settings;
    private final ScoringSettings scoring;
    private final Clock clock;
    private final RetentionMetrics metrics;

    /** For the CDI client proxy only. */
    protected RetentionService() {
        this(null, null, null, null, null, null, null, null, null);
    }

    @Inject
    public RetentionService(RetentionStore store, TenantDataPolicies policies, ScoreRepository scores, ScoreCache cache,
                            PolicyEnforcer enforcer, RetentionSettings settings, ScoringSettings scoring, Clock clock,
                            RetentionMetrics metrics) {
        this.store = store;
        this.policies = policies;
        this.scores = scores;
        this.cache = cache;
        this.enforcer = enforcer;
        this.settings = settings;
        this.scoring = scoring;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** {@code runRetention}: the caller must govern the tenant (coherence:admin on its own tenant). */
    public RetentionReport runNow(Caller caller, String tenantId, boolean dryRun) {
        TenantId tenant = TenantIds.checked(tenantId);
        enforcer.require(caller, Action.GOVERN, tenant.value());
        return prune(tenant, dryRun, Trigger.REQUEST, () -> { });
    }

    /**
     * Every tenant with signals (or a left-over score), page by page. A tenant whose pruning fails
     * is logged and counted and the run goes on; {@code keepAlive} runs between batches and tenants
     * (the scheduled run renews its lock there), and its failure ends the run.
     */
    @WithSpan(value = "retention run", kind = SpanKind.INTERNAL)
    public RunTotals pruneAll(Runnable keepAlive) {
        int tenants = 0;
        long deleted = 0;
        int failed = 0;
        String after = null;
        while (true) {
            List<TenantId> page = store.tenants(after, TENANTS_PER_PAGE);
            for (TenantId tenant : page) {
                tenants++;
                try {
                    deleted += prune(tenant, false, Trigger.SCHEDULE, keepAlive).deleted();
                } catch (RetentionLock.LockLost e) {
                    throw e;
                } catch (RuntimeException e) {
                    failed++;
                    LOG.log(Level.WARNING, e, () -> "retention of tenant_id=" + tenant + " failed; the next run tries again");
                }
                keepAlive.run();
            }
            if (page.size() < TENANTS_PER_PAGE) {
                return new RunTotals(tenants, deleted, failed);
            }
            after = page.get(page.size() - 1).value();
        }
    }

    /** One tenant under its policy in force now. */
    public RetentionReport prune(TenantId tenant, boolean dryRun, Trigger trigger, Runnable keepAlive) {
        TenantDataPolicy policy = policies.of(tenant);
        Instant now = clock.instant();
        if (policy.held()) {
            return RetentionReport.held(tenant, policy.tier(), dryRun);
        }
        Instant cutoff = policy.pruneBefore(now).orElseThrow();
        long matched = store.countBefore(tenant, cutoff);
        if (dryRun) {
            return new RetentionReport(tenant, policy.tier(), false, cutoff, matched, 0, true);
        }
        long deleted = 0;
        Instant newest = null;
        try {
            // Nothing old (nearly every tenant on nearly every run): no delete, so no write lock on
            // the tenant that its ingest would wait for. Ingest never stores a signal this old.
            for (int batch = 0; matched > 0 && batch < settings.maxBatchesPerTenant(); batch++) {
                RetentionStore.PrunedBatch pruned = store.deleteBefore(tenant, cutoff, settings.batchSize(), policy.tier(),
                        clock.instant());
                deleted += pruned.deleted();
                metrics.deleted(policy.tier(), trigger.label(), pruned.deleted());
                if (pruned.newest() != null && (newest == null || pruned.newest().isAfter(newest))) {
                    newest = pruned.newest();
                }
                if (pruned.deleted() < settings.batchSize()) {
                    break;
                }
                keepAlive.run();
            }
        } finally {
            // Also after a failed batch: the batches before it are committed.
            if (newest != null && !newest.isBefore(now.minus(scoring.window()))) {
                store.rescore(tenant);
            }
        }
        if (store.retireScoreIfEmpty(tenant)) {
            retireScore(tenant);
        }
        long total = deleted;
        if (total > 0) {
            LOG.info(() -> "retention deleted " + total + " of " + matched + " signals of tenant_id=" + tenant
                    + " before " + cutoff + " (" + policy.tier().policyName() + ")");
        }
        return new RetentionReport(tenant, policy.tier(), false, cutoff, matched, deleted, false);
    }

    /**
     * The tenant has no signals left: its materialized score goes too. Only a score computed
     * before now: one the materializer stores for a signal ingested meanwhile stays.
     */
    private void retireScore(TenantId tenant) {
        scores.delete(tenant, clock.instant());
        try {
            cache.evict(tenant);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "evicting the cached score of emptied tenant_id=" + tenant
                    + " failed; it expires with COHERENCE_CACHE_TTL", e);
        }
    }
}
