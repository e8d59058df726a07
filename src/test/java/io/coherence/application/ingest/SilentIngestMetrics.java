package io.coherence.application.ingest;

import io.coherence.domain.signal.WriteOutcome;
import java.util.List;
import org.eclipse.microprofile.metrics.MetricRegistry;

/** Ingest metrics that record nothing, for tests that wire IngestService without a metric registry. */
final class SilentIngestMetrics extends IngestMetrics {

    SilentIngestMetrics() {
        super((MetricRegistry) null);
    }

    @Override
    void committed(String channel, List<WriteOutcome> outcomes, long nanos) {
    }

    @Override
    void rejected(String channel, int items) {
    }
}
