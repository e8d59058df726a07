package io.coherence.application.erasure;

import io.coherence.domain.erasure.ErasureRequest;
import io.coherence.domain.erasure.ErasureStep;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.time.Instant;
import java.util.Map;

/**
 * The audit package of a completed erasure: what was asked (the subject only as its SHA-256),
 * when, and per store what was found and removed, with counts before and after and the digest
 * over the erased signals' provenance ids. This JSON, byte for byte, is the payload the service
 * signs (docs/erasure.md describes each field).
 */
final class AuditPackage {

    static final String FORMAT = "coherence.erasure.audit/v1";

    private AuditPackage() {
    }

    static String of(ErasureRequest request, Map<ErasureStep, String> findings, long affected, Instant completedAt,
                     String keyId) {
        JsonObjectBuilder stores = Json.createObjectBuilder();
        stores.add("postgresql.idempotency_keys", finding(findings, ErasureStep.IDEMPOTENCY_KEYS));
        stores.add("neo4j.signals", finding(findings, ErasureStep.SIGNALS));
        stores.add("postgresql.coherence_scores", finding(findings, ErasureStep.SCORE));
        stores.add("redis.score_cache", finding(findings, ErasureStep.CACHE));
        stores.add("events", finding(findings, ErasureStep.EVENTS));
        stores.add("kafka", Json.createObjectBuilder().add("erased", false)
                .add("note", "records expire with the topics' retention (docs/erasure.md)"));
        return Json.createObjectBuilder()
                .add("format", FORMAT)
                .add("requestId", request.id().toString())
                .add("tenantId", request.tenant().value())
                .add("subjectSha256", request.subjectSha256())
                .add("wholeTenant", "*".equals(request.subject()))
                .add("scope", request.scope().name())
                .add("requestedAt", request.requestedAt().toString())
                .add("startedAt", request.startedAt() == null ? completedAt.toString() : request.startedAt().toString())
                .add("completedAt", completedAt.toString())
                .add("affected", affected)
                .add("stores", stores)
                .add("keyId", keyId)
                .build().toString();
    }

    static JsonObject finding(Map<ErasureStep, String> findings, ErasureStep step) {
        String json = findings.get(step);
        if (json == null) {
            return JsonObject.EMPTY_JSON_OBJECT;
        }
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}
