package io.coherence.infrastructure.neo4j;

import io.coherence.domain.score.MinuteTotals;
import io.coherence.domain.score.MinuteTotalsRepository;
import io.coherence.domain.tenant.TenantId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.Value;

/**
 * The per-minute sums ({@link SignalBuckets}) of a range, read in one statement with whether they
 * hold every signal of the tenant (a tenant Neo4j has never seen has none to miss).
 */
@ApplicationScoped
public class Neo4jMinuteTotals implements MinuteTotalsRepository {

    static final String BETWEEN = """
            OPTIONAL MATCH (t:Tenant {tenant_id: $tenantId})
            WITH t IS NULL OR %s AS complete
            CALL () {
              MATCH (b:SignalBucket)
              WHERE b.tenant_id = $tenantId AND b.minute >= $fromMinute AND b.minute < $toMinute
              RETURN collect([b.minute, b.weighted_value_sum, b.weight_sum, b.count]) AS minutes
            }
            RETURN complete, minutes
            """.formatted(SignalBuckets.COMPLETE);

    /** A read of at most the range's minutes (8 days: 11,520), ended by Neo4j past this. */
    private static final TransactionConfig READ_TIMEOUT = TransactionConfig.builder().withTimeout(Duration.ofSeconds(5)).build();

    private final Driver driver;

    /** For the CDI client proxy only. */
    protected Neo4jMinuteTotals() {
        this(null);
    }

    @Inject
    public Neo4jMinuteTotals(Driver driver) {
        this.driver = driver;
    }

    /** Auto-commit, like the window read: the caller learns at once when Neo4j is down. */
    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    @WithSpan(value = "neo4j minute totals", kind = SpanKind.CLIENT)
    public Optional<List<MinuteTotals>> between(TenantId tenant, long fromMinute, long toMinute) {
        try (var session = driver.session(SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build())) {
            Record r = session.run(BETWEEN, Map.of("tenantId", tenant.value(), "fromMinute", fromMinute,
                    "toMinute", toMinute), READ_TIMEOUT).single();
            if (!r.get("complete").asBoolean()) {
                return Optional.empty();
            }
            return Optional.of(r.get("minutes").asList(Neo4jMinuteTotals::minute));
        }
    }

    private static MinuteTotals minute(Value row) {
        return new MinuteTotals(row.get(0).asLong(), row.get(1).asDouble(), row.get(2).asDouble(), row.get(3).asLong());
    }
}
