package io.coherence.infrastructure.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.EmbeddedEngines;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.summary.Plan;

/**
 * Every statement that reads one tenant's signals finds them through an index, never by scanning
 * every signal of every tenant: the graph's indexes are composite ({@code (tenant_id, ts)} and the
 * identity), and Neo4j uses one only when the statement names each of its properties, so a
 * {@code MATCH (s:Signal {tenant_id: $t})} alone scans the whole label. Checked on the real
 * planner with EXPLAIN (nothing runs).
 */
class Neo4jQueryPlansIT {

    static Stream<Arguments> tenantStatements() {
        return Stream.of(
                Arguments.of("erasure: a tenant's signals", Neo4jErasureGraph.OF_TENANT + Neo4jErasureGraph.COUNT),
                Arguments.of("erasure: a source's signals", Neo4jErasureGraph.OF_SOURCE + Neo4jErasureGraph.COUNT),
                Arguments.of("erasure: provenance ids", Neo4jErasureGraph.PROVENANCE_IDS),
                Arguments.of("buckets: rebuild a tenant's", SignalBuckets.REBUILD),
                Arguments.of("window: buckets and edge", Neo4jSignalRepository.WINDOW_BUCKETS),
                Arguments.of("window: full scan", Neo4jSignalRepository.WINDOW_SCAN),
                Arguments.of("retention: count before the cutoff", Neo4jRetentionStore.COUNT_BEFORE),
                Arguments.of("retention: delete before the cutoff", Neo4jRetentionStore.DELETE_BEFORE),
                Arguments.of("ingest: upsert", Neo4jSignalRepository.UPSERT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tenantStatements")
    void readsOneTenantsSignalsThroughAnIndex(String name, String statement) {
        Driver driver = EmbeddedEngines.shared().neo4jDriver();
        try (Session session = driver.session()) {
            Plan plan = session.run("EXPLAIN " + statement).consume().plan();
            List<String> operators = new ArrayList<>();
            collect(plan, operators);
            assertThat(operators).as(name + ": " + operators).noneMatch(o -> o.startsWith("NodeByLabelScan")
                    || o.startsWith("AllNodesScan"));
        }
    }

    private static void collect(Plan plan, List<String> operators) {
        operators.add(plan.operatorType());
        plan.children().forEach(child -> collect(child, operators));
    }
}
