package io.coherence.application.ingest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.Violation;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The wire format shared by every JSON channel: one signal object or an array of them, with the
 * fields of PublishCoherenceSignalInput plus an optional signalId. Unknown fields, duplicate keys
 * and wrong types are refused, per item and field.
 */
public final class SignalJson {

    static final Set<String> FIELDS = Set.of("tenantId", "type", "value", "weight", "source", "ts", "signalId");

    private static final JsonParserFactory PARSERS =
            Json.createParserFactory(Map.of("org.eclipse.parsson.rejectDuplicateKeys", true));

    private SignalJson() {
    }

    /** The items of a body, and whether it was an array (then violations carry item indexes). */
    public record Parsed(List<SignalSubmission> items, boolean batch) {
    }

    /** Parses a request body; refuses it whole when any item's shape is wrong. */
    public static Parsed parse(String body) {
        JsonValue root = read(body);
        boolean batch = root.getValueType() == JsonValue.ValueType.ARRAY;
        List<JsonValue> items = batch ? root.asJsonArray() : List.of(root);
        if (!batch && root.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new CoherenceException(ErrorCode.MALFORMED_JSON, "the body must be a signal object or an array of them");
        }
        List<Violation> violations = new ArrayList<>();
        List<SignalSubmission> submissions = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Integer index = batch ? i : null;
            JsonValue item = items.get(i);
            if (item.getValueType() != JsonValue.ValueType.OBJECT) {
                violations.add(new Violation(index, null, "INVALID_TYPE", "each item must be a JSON object"));
                continue;
            }
            submissions.add(new ItemReader(item.asJsonObject(), index, violations).read());
        }
        if (!violations.isEmpty()) {
            throw new CoherenceException(ErrorCode.BAD_USER_INPUT, "the signals are not valid; nothing was written", violations);
        }
        return new Parsed(submissions, batch);
    }

    /** Exactly one JSON value: anything after it (a second object, garbage) is malformed too. */
    private static JsonValue read(String body) {
        try (JsonParser parser = PARSERS.createParser(new StringReader(body))) {
            if (!parser.hasNext()) {
                throw malformed();
            }
            parser.next();
            JsonValue value = parser.getValue();
            if (parser.hasNext()) {
                throw malformed();
            }
            return value;
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            throw malformed();
        }
    }

    /** Strict UTF-8 (no replacement characters); MALFORMED_JSON naming {@code what} otherwise. */
    public static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CoherenceException(ErrorCode.MALFORMED_JSON, what + " is not valid UTF-8");
        }
    }

    private static CoherenceException malformed() {
        return new CoherenceException(ErrorCode.MALFORMED_JSON, "the body is not one well-formed JSON value");
    }

    /** Reads one item, collecting a violation per bad field instead of stopping at the first. */
    private record ItemReader(JsonObject json, Integer index, List<Violation> violations) {

        SignalSubmission read() {
            for (String key : json.keySet()) {
                if (!FIELDS.contains(key)) {
                    violations.add(new Violation(index, key, "UNKNOWN_FIELD", "is not a field of a signal"));
                }
            }
            return new SignalSubmission(text("tenantId"), text("type"), number("value"), number("weight"),
                    text("source"), text("ts"), text("signalId"));
        }

        private String text(String field) {
            JsonValue value = json.get(field);
            if (value == null || value == JsonValue.NULL) {
                return null;
            }
            if (value instanceof JsonString string) {
                return string.getString();
            }
            violations.add(new Violation(index, field, "INVALID_TYPE", "must be a string"));
            return null;
        }

        private Double number(String field) {
            JsonValue value = json.get(field);
            if (value == null || value == JsonValue.NULL) {
                return null;
            }
            if (!(value instanceof JsonNumber number)) {
                violations.add(new Violation(index, field, "INVALID_TYPE", "must be a number"));
                return null;
            }
            double d = number.doubleValue();
            if (!Double.isFinite(d)) {
                violations.add(new Violation(index, field, "NOT_FINITE", "must be a finite number"));
                return null;
            }
            return d;
        }
    }
}
