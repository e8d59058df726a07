package io.coherence.application.ingest;

import io.coherence.domain.signal.WriteOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Ingest metrics: signals processed per channel and outcome ({@code ingest_events_processed_total}),
 * the durable-commit wait ({@code ingest_commit_wait_seconds}) and the signals per request or
 * record ({@code ingest_request_signals}), and the share of duplicates ({@code ingest_dedupe_rate}).
 */
@ApplicationScoped
public class IngestMetrics {

    private final MetricRegistry registry;
    private final DedupeRate dedupe = new DedupeRate(Clock.systemUTC(), Duration.ofMinutes(5), 30);

    /** For the CDI client proxy only. */
    protected IngestMetrics() {
        this(null);
    }

    @Inject
    public IngestMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    /** {@code ingest_dedupe_rate}: the share of duplicates among the signals of the last 5 minutes. */
    void register(@Observes Startup startup) {
        registry.gauge("ingest_dedupe_rate", dedupe, DedupeRate::rate);
    }

    void committed(String channel, List<WriteOutcome> outcomes, long nanos) {
        long duplicates = outcomes.stream().filter(o -> o.status() == WriteOutcome.Status.DUPLICATE).count();
        dedupe.add(outcomes.size() - duplicates, duplicates);
        count(channel, "accepted", outcomes.size() - duplicates);
        count(channel, "duplicate", duplicates);
        registry.timer("ingest_commit_wait", new Tag("channel", channel)).update(Duration.ofNanos(nanos));
        registry.histogram("ingest_request_signals", new Tag("channel", channel)).update(outcomes.size());
    }

    void rejected(String channel, int items) {
        count(channel, "rejected", items);
    }

    private void count(String channel, String outcome, long n) {
        if (n > 0) {
            registry.counter("ingest_events_processed", new Tag("channel", channel), new Tag("outcome", outcome)).inc(n);
        }
    }
}
