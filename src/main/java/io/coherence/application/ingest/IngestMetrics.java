package io.coherence.application.ingest;

import io.coherence.domain.signal.WriteOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/** Ingest counters: signals processed per channel and outcome, and the durable-commit wait. */
@ApplicationScoped
public class IngestMetrics {

    private final MetricRegistry registry;

    /** For the CDI client proxy only. */
    protected IngestMetrics() {
        this(null);
    }

    @Inject
    public IngestMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    void committed(String channel, List<WriteOutcome> outcomes, long nanos) {
        long duplicates = outcomes.stream().filter(o -> o.status() == WriteOutcome.Status.DUPLICATE).count();
        count(channel, "accepted", outcomes.size() - duplicates);
        count(channel, "duplicate", duplicates);
        registry.timer("ingest_commit_wait", new Tag("channel", channel)).update(Duration.ofNanos(nanos));
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
