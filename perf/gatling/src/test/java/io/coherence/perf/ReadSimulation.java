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

/**
 * The seed's k6 read: tenantCoherence, closed loop. -Dusers (50) users, each sending one request after
 * the other for -Dduration seconds (30). A request is OK when it answers 200 without "errors".
 */
public class ReadSimulation extends Simulation {

    static final String QUERY = "query($t:ID!){ tenantCoherence(tenantId:$t){ score status updatedAt } }";

    final Target target = Target.fromSystemProperties();
    final int users = Target.intProp("users", 50);
    final Duration duration = Duration.ofSeconds(Target.intProp("duration", 30));
    final String body = "{\"query\":\"" + QUERY + "\",\"variables\":{\"t\":\"" + target.tenant + "\"}}";

    // Each user lives for the whole run and loops, so it keeps its connection (as a k6 VU does).
    final ScenarioBuilder read = scenario("read").during(duration).on(
            http("tenantCoherence").post("/graphql").body(StringBody(body))
                    .check(status().is(200), jsonPath("$.errors").notExists()));

    {
        setUp(read.injectClosed(constantConcurrentUsers(users).during(duration))).protocols(target.http());
    }
}
