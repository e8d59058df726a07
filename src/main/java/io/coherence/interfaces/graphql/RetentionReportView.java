package io.coherence.interfaces.graphql;

import io.coherence.application.retention.RetentionReport;
import io.coherence.domain.provenance.LedgerTime;
import io.coherence.domain.retention.RetentionTier;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

/** GraphQL type {@code RetentionReport}. */
@Type("RetentionReport")
@Description("What a retention run did (or, in a dry run, would do) for one tenant.")
public class RetentionReportView {

    /** The cut-off of a tenant under legal hold, by flag or by tier: nothing is ever past it. */
    static final String HELD = "none (legal hold)";

    private final RetentionReport report;

    RetentionReportView(RetentionReport report) {
        this.report = report;
    }

    public @Id @NonNull String getTenantId() {
        return report.tenant().value();
    }

    public @NonNull RetentionTier getRetentionTier() {
        return report.tier();
    }

    @Description("Signals with ts before this instant (ISO-8601 UTC) are past the tier; \"none (legal hold)\" when the tenant is under legal hold.")
    public @NonNull String getCutoff() {
        return report.held() ? HELD : LedgerTime.format(report.cutoff());
    }

    @Description("Signals past the cut-off when the run began; 0 under legal hold.")
    public int getMatched() {
        return saturated(report.matched());
    }

    @Description("Signals deleted: 0 in a dry run or under legal hold; fewer than matched when the run's batch bound stopped it (the next run goes on).")
    public int getDeleted() {
        return saturated(report.deleted());
    }

    public boolean isDryRun() {
        return report.dryRun();
    }

    /** GraphQL's Int is 32 bits; a count beyond it reads as the largest Int. */
    private static int saturated(long count) {
        return (int) Math.min(count, Integer.MAX_VALUE);
    }
}
