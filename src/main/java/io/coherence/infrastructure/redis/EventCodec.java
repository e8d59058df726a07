package io.coherence.infrastructure.redis;

import static io.coherence.application.Jsons.JSON;

import io.coherence.application.events.CoherenceEvent;
import io.coherence.application.events.ScoreChanged;
import io.coherence.application.events.ScoreRemoved;
import io.coherence.application.events.SignalCommitted;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.domain.tenant.TenantId;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The bridge's wire format: {@code {"node": "<sender>", "events": [...]}}, one message per
 * published list, so a list keeps its order on the way to other replicas. A replica that does not
 * know an event's kind ignores the whole message (and logs it): publish a new kind in lists of its own.
 */
final class EventCodec {

    record Message(String node, List<CoherenceEvent> events) {
    }

    private EventCodec() {
    }

    static String encode(String node, List<? extends CoherenceEvent> events) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        for (CoherenceEvent e : events) {
            array.add(e instanceof SignalCommitted s ? signal(s)
                    : e instanceof ScoreChanged c ? score(c)
                    : removed((ScoreRemoved) e));
        }
        return JSON.createObjectBuilder().add("node", node).add("events", array).build().toString();
    }

    private static JsonObjectBuilder signal(SignalCommitted s) {
        return JSON.createObjectBuilder()
                .add("kind", "signal")
                .add("tenantId", s.tenant().value())
                .add("sequence", s.sequence())
                .add("signalId", s.signalId())
                .add("type", s.type())
                .add("value", s.value())
                .add("weight", s.weight())
                .add("source", s.source())
                .add("ts", s.ts().toString())
                .add("provenanceId", s.provenanceId())
                .add("committedAt", s.committedAt().toString());
    }

    private static JsonObjectBuilder score(ScoreChanged c) {
        return JSON.createObjectBuilder()
                .add("kind", "score")
                .add("tenantId", c.tenant().value())
                .add("score", c.score().score())
                .add("status", c.score().status().name())
                .add("updatedAt", c.score().updatedAt().toString())
                .add("committedAt", c.committedAt().toString());
    }

    private static JsonObjectBuilder removed(ScoreRemoved r) {
        return JSON.createObjectBuilder()
                .add("kind", "scoreRemoved")
                .add("tenantId", r.tenant().value())
                .add("committedAt", r.committedAt().toString());
    }

    /** Decodes a message; throws IllegalArgumentException (or a JSON exception) when it is not one. */
    static Message decode(String text) {
        JsonObject message = JSON.createReader(new StringReader(text)).readObject();
        JsonArray array = message.getJsonArray("events");
        List<CoherenceEvent> events = new ArrayList<>(array.size());
        for (JsonValue value : array) {
            JsonObject o = value.asJsonObject();
            TenantId tenant = TenantId.of(o.getString("tenantId"));
            Instant committedAt = Instant.parse(o.getString("committedAt"));
            events.add(switch (o.getString("kind")) {
                case "signal" -> new SignalCommitted(tenant, o.getJsonNumber("sequence").longValueExact(),
                        o.getString("signalId"), o.getString("type"), o.getJsonNumber("value").doubleValue(),
                        o.getJsonNumber("weight").doubleValue(), o.getString("source"), Instant.parse(o.getString("ts")),
                        o.getString("provenanceId"), committedAt);
                case "score" -> new ScoreChanged(new CoherenceScore(tenant, o.getJsonNumber("score").doubleValue(),
                        ScoreStatus.valueOf(o.getString("status")), Instant.parse(o.getString("updatedAt"))), committedAt);
                case "scoreRemoved" -> new ScoreRemoved(tenant, committedAt);
                default -> throw new IllegalArgumentException("unknown event kind " + o.getString("kind"));
            });
        }
        return new Message(message.getString("node"), events);
    }
}
