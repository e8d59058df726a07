package io.coherence.perf;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HTTP batch ingest, closed loop: -Dusers (8) users for -Dduration seconds (30), each POSTing arrays
 * of -Dbatch (100) new signals (fresh signalIds, ts = now) to /v1/coherence/signals. OK = 202 (the
 * answer comes after the Neo4j commit) with every item accepted.
 */
public class IngestSimulation extends Simulation {

    final Target target = Target.fromSystemProperties();
    final int users = Target.intProp("users", 8);
    final int batch = Target.intProp("batch", 100);
    final Duration duration = Duration.ofSeconds(Target.intProp("duration", 30));

    final ScenarioBuilder ingest = scenario("ingest").during(duration).on(
            http("ingestBatch").post("/v1/coherence/signals")
                    .body(StringBody(session -> batch(target.tenant, batch, "gatling")))
                    .check(status().is(202), jsonPath("$.accepted").ofInt().is(batch)));

    {
        setUp(ingest.injectClosed(constantConcurrentUsers(users).during(duration))).protocols(target.http());
    }

    /** A JSON array of n new signals; ids are prefix-uuid-i, so every request is new to the server. */
    static String batch(String tenant, int n, String prefix) {
        String now = Instant.now().toString();
        String id = prefix + "-" + UUID.randomUUID();
        StringBuilder b = new StringBuilder(n * 160).append('[');
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"tenantId\":\"").append(tenant).append("\",\"type\":\"load\",\"value\":")
                    .append(String.format(Locale.ROOT, "%.4f", ThreadLocalRandom.current().nextDouble()))
                    .append(",\"source\":\"gatling\",\"signalId\":\"").append(id).append('-').append(i)
                    .append("\",\"ts\":\"").append(now).append("\"}");
        }
        return b.append(']').toString();
    }
}
