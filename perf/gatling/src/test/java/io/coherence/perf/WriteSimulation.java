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
import java.util.concurrent.ThreadLocalRandom;

/**
 * The seed's k6 write: publishCoherenceSignal, closed loop. -Dusers (20) users for -Dduration seconds
 * (30); every request carries a new value in [0,1) and ts = now. OK = 200 and
 * data.publishCoherenceSignal == true.
 */
public class WriteSimulation extends Simulation {

    static final String MUTATION = "mutation($input:PublishCoherenceSignalInput!){ publishCoherenceSignal(input:$input) }";

    final Target target = Target.fromSystemProperties();
    final int users = Target.intProp("users", 20);
    final Duration duration = Duration.ofSeconds(Target.intProp("duration", 30));

    final ScenarioBuilder write = scenario("write").during(duration).on(
            http("publishCoherenceSignal").post("/graphql")
                    .body(StringBody(session -> String.format(Locale.ROOT,
                            "{\"query\":\"%s\",\"variables\":{\"input\":{\"tenantId\":\"%s\",\"type\":\"k6\",\"value\":%.6f,"
                                    + "\"source\":\"k6\",\"ts\":\"%s\"}}}",
                            MUTATION, target.tenant, ThreadLocalRandom.current().nextDouble(), Instant.now())))
                    .check(status().is(200), jsonPath("$.data.publishCoherenceSignal").ofBoolean().is(true)));

    {
        setUp(write.injectClosed(constantConcurrentUsers(users).during(duration))).protocols(target.http());
    }
}
