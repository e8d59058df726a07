package io.coherence.infrastructure.neo4j;

import io.coherence.domain.signal.Signal;
import io.coherence.domain.tenant.TenantId;
import java.util.Map;
import java.util.TreeMap;
import org.neo4j.driver.Driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Compares a tenant's stored buckets with the same sums recomputed from its signals. */
final class BucketCheck {

    /** Per minute: Σ value·weight, Σ weight, count. */
    record Sums(double weighted, double weights, long count) {
    }

    private static final String FROM_SIGNALS = """
            MATCH (s:Signal {tenant_id: $tenantId})
            WITH %s AS minute, s.value AS value, CASE WHEN s.weight > $maxWeight THEN $maxWeight ELSE s.weight END AS weight
            RETURN minute, sum(value * weight) AS weighted, sum(weight) AS weights, count(*) AS n
            """.formatted(SignalBuckets.minute("s.ts"));

    private static final String STORED = """
            MATCH (b:SignalBucket {tenant_id: $tenantId})
            RETURN b.minute AS minute, b.weighted_value_sum AS weighted, b.weight_sum AS weights, b.count AS n
            """;

    private BucketCheck() {
    }

    static Map<Long, Sums> fromSignals(Driver driver, TenantId tenant) {
        return read(driver, FROM_SIGNALS, tenant);
    }

    static Map<Long, Sums> stored(Driver driver, TenantId tenant) {
        return read(driver, STORED, tenant);
    }

    /** The same minutes and counts; the sums equal up to the order they were added in. */
    static void assertBucketsMatchSignals(Driver driver, TenantId tenant) {
        Map<Long, Sums> expected = fromSignals(driver, tenant);
        Map<Long, Sums> stored = stored(driver, tenant);
        assertThat(stored.keySet()).as("bucket minutes").isEqualTo(expected.keySet());
        expected.forEach((minute, sums) -> {
            Sums b = stored.get(minute);
            assertThat(b.count()).as("count of minute %d", minute).isEqualTo(sums.count());
            assertThat(b.weighted()).as("Σ value·weight of minute %d", minute)
                    .isCloseTo(sums.weighted(), within(1e-12 * Math.max(1.0, sums.weighted())));
            assertThat(b.weights()).as("Σ weight of minute %d", minute)
                    .isCloseTo(sums.weights(), within(1e-12 * Math.max(1.0, sums.weights())));
        });
    }

    private static Map<Long, Sums> read(Driver driver, String cypher, TenantId tenant) {
        Map<Long, Sums> sums = new TreeMap<>();
        try (var session = driver.session()) {
            session.run(cypher, Map.of("tenantId", tenant.value(), "maxWeight", Signal.MAX_WEIGHT)).list().forEach(r ->
                    sums.put(r.get("minute").asLong(), new Sums(r.get("weighted").asDouble(), r.get("weights").asDouble(),
                            r.get("n").asLong())));
        }
        return sums;
    }
}
