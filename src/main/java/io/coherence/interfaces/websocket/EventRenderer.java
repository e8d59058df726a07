package io.coherence.interfaces.websocket;

import static io.coherence.application.Jsons.JSON;

import io.coherence.application.events.CoherenceEvent;
import io.coherence.application.events.ScoreChanged;
import io.coherence.application.events.SignalCommitted;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;

/**
 * Renders an event as the {@code next} payload of one plan: {@code {"data":{root:{fields}}}},
 * exactly the fields the document selected, under their aliases. The last rendering is kept, so
 * the subscribers that share a plan (the same document and variables) share one rendering.
 */
final class EventRenderer {

    private final Planned.Subscription plan;
    private volatile Rendered last;

    EventRenderer(Planned.Subscription plan) {
        this.plan = plan;
    }

    String payload(CoherenceEvent event) {
        Rendered r = last;
        if (r != null && r.event() == event) {
            return r.json();
        }
        String json = render(event);
        last = new Rendered(event, json);
        return json;
    }

    private String render(CoherenceEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject().writeStartObject("data").writeStartObject(plan.rootKey());
            for (Planned.Field f : plan.fields()) {
                if (event instanceof SignalCommitted s) {
                    signalField(g, f, s);
                } else {
                    scoreField(g, f, (ScoreChanged) event);
                }
            }
            g.writeEnd().writeEnd().writeEnd();
        }
        return out.toString();
    }

    private static void signalField(JsonGenerator g, Planned.Field f, SignalCommitted s) {
        String k = f.key();
        switch (f.name()) {
            case "id" -> g.write(k, s.signalId());
            case "type" -> g.write(k, s.type());
            case "value" -> g.write(k, s.value());
            case "weight" -> g.write(k, s.weight());
            case "source" -> g.write(k, s.source());
            case "ts" -> g.write(k, s.ts().toString());
            case "tenantId" -> g.write(k, s.tenant().value());
            case "sequence" -> g.write(k, s.sequence());
            case "provenanceId" -> g.write(k, s.provenanceId());
            case "committedAt" -> g.write(k, s.committedAt().toString());
            case "__typename" -> g.write(k, "Signal");
            default -> throw new IllegalStateException("Signal has no field " + f.name());
        }
    }

    private static void scoreField(JsonGenerator g, Planned.Field f, ScoreChanged c) {
        String k = f.key();
        switch (f.name()) {
            case "tenantId" -> g.write(k, c.tenant().value());
            case "score" -> g.write(k, c.score().score());
            case "status" -> g.write(k, c.score().status().name());
            case "updatedAt" -> g.write(k, c.score().updatedAt().toString());
            case "__typename" -> g.write(k, "CoherenceScore");
            default -> throw new IllegalStateException("CoherenceScore has no field " + f.name());
        }
    }

    private record Rendered(CoherenceEvent event, String json) {
    }
}
