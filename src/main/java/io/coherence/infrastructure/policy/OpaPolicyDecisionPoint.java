package io.coherence.infrastructure.policy;

import static io.coherence.application.Jsons.JSON;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.coherence.domain.policy.Decision;
import io.coherence.domain.policy.PolicyDecisionPoint;
import io.coherence.domain.policy.PolicyInput;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;

/**
 * Asks an OPA server: {@code POST {OPA_URL}/v1/data/{decision path}} with {@code {"input": …}},
 * answered {@code {"result": {"allow": …, "rule": …}}}. Decisions are cached for a second (the
 * same caller asking again); an OPA that is slow, down or answers anything else denies (fail
 * closed), and a circuit breaker stops asking one that keeps failing.
 */
@ApplicationScoped
@Typed(OpaPolicyDecisionPoint.class)
public class OpaPolicyDecisionPoint implements PolicyDecisionPoint {

    static final String UNAVAILABLE = "opa_unavailable";
    private static final Logger LOG = Logger.getLogger(OpaPolicyDecisionPoint.class.getName());

    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient http;
    private final Cache<String, Decision> cache;

    /** For the CDI client proxy only. */
    protected OpaPolicyDecisionPoint() {
        this.endpoint = null;
        this.timeout = null;
        this.http = null;
        this.cache = null;
    }

    @Inject
    public OpaPolicyDecisionPoint(@ConfigProperty(name = "OPA_URL") String opaUrl,
                                  @ConfigProperty(name = "COHERENCE_OPA_DECISION_PATH") String decisionPath,
                                  @ConfigProperty(name = "COHERENCE_OPA_TIMEOUT") Duration timeout,
                                  @ConfigProperty(name = "COHERENCE_OPA_CACHE_TTL") Duration cacheTtl) {
        this.endpoint = URI.create(opaUrl.replaceAll("/+$", "") + "/v1/data/" + decisionPath.replaceAll("^/+", ""));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.cache = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(100_000).build();
    }

    @Override
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000)
    @Fallback(fallbackMethod = "failClosed")
    public Decision decide(PolicyInput input) {
        String body = JSON.createObjectBuilder().add("input", PolicyInputJson.toJson(input)).build().toString();
        Decision cached = cache.getIfPresent(body);
        if (cached != null) {
            return cached;
        }
        Decision decision = ask(body);
        cache.put(body, decision);
        return decision;
    }

    private Decision ask(String body) {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new OpaUnavailable("OPA did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpaUnavailable("interrupted while asking OPA", e);
        }
        if (response.statusCode() != 200) {
            throw new OpaUnavailable("OPA answered HTTP " + response.statusCode(), null);
        }
        JsonObject answer = JSON.createReader(new StringReader(response.body())).readObject();
        JsonValue result = answer.get("result");
        return PolicyInputJson.decision(result instanceof JsonObject o ? o : null);
    }

    Decision failClosed(PolicyInput input) {
        LOG.log(Level.WARNING, "OPA at " + endpoint + " is unavailable; denying (fail closed)");
        return Decision.deny(UNAVAILABLE);
    }

    /** OPA could not decide; the fallback denies. */
    static final class OpaUnavailable extends RuntimeException {
        OpaUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
