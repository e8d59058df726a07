package io.coherence.interfaces.websocket;

import io.coherence.application.events.EventKind;
import io.coherence.application.subscriptions.ScoreThreshold;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;

/** What a subscribe message asks for, once parsed and validated against the schema. */
sealed interface Planned permits Planned.Subscription, Planned.ImmediateResult, Planned.Rejection {

    /**
     * A live subscription: the root field (its result key is the alias, if any), the tenant and the
     * selected fields of the event type, with their result keys, in document order; for score
     * changes, which ones to send; for signals, the sequence to resume after (null: live only).
     */
    record Subscription(EventKind kind, String tenantId, String rootKey, List<Field> fields, ScoreThreshold threshold,
                        Long after) implements Planned {

        /** Every event of its kind, from now on. */
        Subscription(EventKind kind, String tenantId, String rootKey, List<Field> fields) {
            this(kind, tenantId, rootKey, fields, ScoreThreshold.EVERY_CHANGE, null);
        }

        /** The same rendering for every threshold and starting point: renderers are shared by what they render. */
        Subscription rendering() {
            return threshold.filters() || after != null ? new Subscription(kind, tenantId, rootKey, fields) : this;
        }
    }

    record Field(String key, String name) {
    }

    /** A single answer (introspection): one {@code next}, then {@code complete}. */
    record ImmediateResult(Map<String, Object> result) implements Planned {
    }

    /** The document cannot run: the errors, GraphQL-shaped, for one {@code error} message. */
    record Rejection(List<JsonObject> errors) implements Planned {
    }
}
