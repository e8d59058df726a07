package io.coherence.infrastructure.config;

import io.coherence.application.events.EventBus;
import io.coherence.application.events.EventHistory;
import io.coherence.application.events.EventReplay;
import io.coherence.application.events.EventSettings;
import io.coherence.application.events.ReplaySettings;
import io.coherence.application.ingest.CommittedSignalPublisher;
import io.coherence.application.ingest.GroupCommitWriter;
import io.coherence.application.ingest.IngestSettings;
import io.coherence.application.ingest.StreamTrust;
import io.coherence.application.ingest.WriterSettings;
import io.coherence.application.query.HistorySettings;
import io.coherence.application.query.NearCacheSettings;
import io.coherence.application.retention.RetentionSettings;
import io.coherence.application.scoring.ScoringSettings;
import io.coherence.application.security.PolicySettings;
import io.coherence.application.tenant.DataPolicySettings;
import io.coherence.domain.retention.RetentionTier;
import io.coherence.domain.signal.SignalRepository;
import io.coherence.domain.tenant.PolicyTags;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;

/**
 * Typed settings from MicroProfile Config. The keys are the environment variable names; their
 * defaults live in META-INF/microprofile-config.properties and docs/configuration.md lists them all.
 */
@ApplicationScoped
public class Settings {

    @Inject
    Config config;

    @Produces
    @Singleton
    public IngestSettings ingest() {
        return new IngestSettings(
                integer("COHERENCE_INGEST_MAX_BATCH"),
                config.getValue("COHERENCE_INGEST_MAX_BODY_BYTES", Long.class),
                duration("COHERENCE_INGEST_MAX_FUTURE_SKEW"));
    }

    /** COHERENCE_KAFKA_TRUST: who may write which tenant through Kafka. */
    @Produces
    @Singleton
    public StreamTrust streamTrust() {
        return StreamTrust.of(text("COHERENCE_KAFKA_TRUST"));
    }

    @Produces
    @Singleton
    public PolicySettings policy() {
        return new PolicySettings(tags(), text("COHERENCE_REGION"));
    }

    @Produces
    @Singleton
    public DataPolicySettings dataPolicy() {
        return new DataPolicySettings(duration("COHERENCE_TENANT_POLICY_REFRESH"));
    }

    /** The data policy of every tenant that has not set its own (COHERENCE_POLICY_*). */
    private PolicyTags tags() {
        RetentionTier.parse(text("COHERENCE_POLICY_RETENTION"));
        return new PolicyTags(text("COHERENCE_POLICY_PURPOSE"), text("COHERENCE_POLICY_RETENTION"),
                text("COHERENCE_POLICY_LICENSE"), text("COHERENCE_POLICY_RESIDENCY"));
    }

    @Produces
    @Singleton
    public WriterSettings writer() {
        return new WriterSettings(
                integer("COHERENCE_WRITER_MAX_SIGNALS"),
                duration("COHERENCE_WRITER_LINGER"),
                integer("COHERENCE_WRITER_THREADS"),
                duration("COHERENCE_WRITER_TIMEOUT"),
                integer("COHERENCE_WRITER_QUEUE"));
    }

    @Produces
    @Singleton
    public ScoringSettings scoring() {
        return new ScoringSettings(
                duration("COHERENCE_SCORE_WINDOW"),
                duration("COHERENCE_MATERIALIZER_INTERVAL"),
                duration("COHERENCE_SCORE_MAX_STALENESS"),
                integer("COHERENCE_MATERIALIZER_TENANTS_PER_RUN"),
                duration("COHERENCE_MATERIALIZER_FAILURE_BACKOFF_MAX"));
    }

    @Produces
    @Singleton
    public HistorySettings history() {
        return new HistorySettings(duration("COHERENCE_HISTORY_MAX_RANGE"), integer("COHERENCE_HISTORY_MAX_POINTS"));
    }

    @Produces
    @Singleton
    public NearCacheSettings nearCache() {
        return new NearCacheSettings(
                integer("COHERENCE_SCORE_NEAR_CACHE_SIZE"),
                duration("COHERENCE_SCORE_NEAR_CACHE_MAX_AGE"));
    }

    @Produces
    @Singleton
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    public EventSettings events() {
        return new EventSettings(
                duration("COHERENCE_EVENTS_REORDER_WINDOW"),
                duration("COHERENCE_EVENTS_COALESCE_WINDOW"),
                config.getValue("COHERENCE_EVENTS_TENANT_RATE", Long.class),
                config.getValue("COHERENCE_EVENTS_TENANT_BURST", Long.class));
    }

    @Produces
    @Singleton
    public ReplaySettings replay() {
        return new ReplaySettings(
                config.getValue("COHERENCE_EVENTS_REPLAY_MAX_EVENTS", Long.class),
                duration("COHERENCE_EVENTS_REPLAY_MAX_AGE"),
                integer("COHERENCE_EVENTS_REPLAY_PAGE"));
    }

    @Produces
    @Singleton
    public EventReplay eventReplay(EventHistory history, ReplaySettings settings, Clock clock) {
        return new EventReplay(history, settings, clock);
    }

    @Produces
    @Singleton
    public GroupCommitWriter groupCommitWriter(SignalRepository repository, WriterSettings settings, EventBus bus,
                                               Clock clock, Tracer tracer) {
        return new GroupCommitWriter(repository, settings, new CommittedSignalPublisher(bus, clock), tracer);
    }

    public void closeWriter(@Disposes GroupCommitWriter writer) {
        writer.close();
    }

    @Produces
    @Singleton
    public RetentionSettings retention() {
        return new RetentionSettings(
                integer("COHERENCE_RETENTION_BATCH"),
                integer("COHERENCE_RETENTION_MAX_BATCHES"),
                duration("COHERENCE_RETENTION_INTERVAL"),
                duration("COHERENCE_RETENTION_RETRY_AFTER"));
    }

    private String text(String key) {
        return config.getValue(key, String.class);
    }

    private int integer(String key) {
        return config.getValue(key, Integer.class);
    }

    private Duration duration(String key) {
        return Duration.parse(text(key));
    }
}
