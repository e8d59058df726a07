package io.coherence.interfaces.websocket;

import static io.coherence.application.Jsons.JSON;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.StringReader;
import java.util.List;
import java.util.Map;

/**
 * The graphql-transport-ws messages as text: reading a client message (anything the protocol does
 * not allow is an {@link InvalidMessage}, which closes the socket with 4400) and writing the
 * server's {@code next}, {@code error} and {@code complete}.
 */
final class ProtocolCodec {

    static final Jsonb JSONB = JsonbBuilder.create();

    private ProtocolCodec() {
    }

    /** An {@code error} message; the errors are {@code ErrorDocuments}' GraphQL errors. */
    static String error(String id, List<JsonObject> errors) {
        return JSON.createObjectBuilder().add("id", id).add("type", "error")
                .add("payload", JSON.createArrayBuilder(errors)).build().toString();
    }

    static String next(String id, String payloadJson) {
        return "{\"id\":" + quote(id) + ",\"type\":\"next\",\"payload\":" + payloadJson + "}";
    }

    static String completeMessage(String id) {
        return "{\"id\":" + quote(id) + ",\"type\":\"complete\"}";
    }

    static String quote(String s) {
        return JSON.createValue(s).toString();
    }

    /** Accepts "Authorization": "Bearer …" (any case) or "token": "…". */
    static String token(JsonObject payload) {
        if (payload == null) {
            return null;
        }
        for (Map.Entry<String, JsonValue> e : payload.entrySet()) {
            if (e.getValue() instanceof JsonString s && (e.getKey().equalsIgnoreCase("authorization")
                    || e.getKey().equals("token"))) {
                String value = s.getString().trim();
                return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : value;
            }
        }
        return null;
    }

    static JsonObject parse(String text) {
        try {
            JsonValue value = JSON.createReader(new StringReader(text)).readValue();
            if (!(value instanceof JsonObject o) || !(o.get("type") instanceof JsonString)) {
                throw new InvalidMessage("a message is a JSON object with a string type");
            }
            return o;
        } catch (JsonException e) {
            throw new InvalidMessage("not JSON");
        }
    }

    static String requiredId(JsonObject message) {
        if (!(message.get("id") instanceof JsonString id) || id.getString().isEmpty()) {
            throw new InvalidMessage(message.getString("type") + " needs a non-empty string id");
        }
        return id.getString();
    }

    static JsonObject optionalObject(JsonObject parent, String name) {
        JsonValue value = parent.get(name);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonObject o) {
            return o;
        }
        throw new InvalidMessage(name + " must be an object");
    }

    static String optionalString(JsonObject parent, String name) {
        JsonValue value = parent.get(name);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString s) {
            return s.getString();
        }
        throw new InvalidMessage(name + " must be a string");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(JsonObject object) {
        return JSONB.fromJson(object.toString(), Map.class);
    }

    /** A message the protocol does not allow: the connection closes with 4400. */
    static final class InvalidMessage extends RuntimeException {
        InvalidMessage(String message) {
            super(message);
        }
    }
}
