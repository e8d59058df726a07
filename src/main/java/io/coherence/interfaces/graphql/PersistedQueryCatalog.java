package io.coherence.interfaces.graphql;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.validation.ValidationError;
import graphql.validation.Validator;
import io.coherence.domain.provenance.Sha256;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.Reader;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The persisted-query allowlist (ADR-002): the registered documents, read and checked once when
 * the application starts, so a wrong hash or a document the schema rejects stops the deployment.
 * Every entry is checked: its hash, its id ({@code name_v<version>}), one operation valid against
 * the API schema, no introspection, and consistent deprecation dates. What a request may run is
 * {@link PersistedQueryResolver}'s decision.
 */
public final class PersistedQueryCatalog {

    /** Where the registry lives on the classpath. */
    public static final String RESOURCE = "graphql/persisted-queries.json";

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,62}_v[1-9][0-9]{0,5}");

    /** One registered document. {@code deprecated}, {@code sunset} and {@code successor} may be null. */
    public record Entry(String id, String sha256, String document, LocalDate deprecated, LocalDate sunset,
                        String successor) {

        /** RFC 9745 {@code Deprecation} header value, or null when the entry is current. */
        public String deprecationHeader() {
            return deprecated == null ? null : "@" + deprecated.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        }

        /** RFC 8594 {@code Sunset} header value (an HTTP date), or null. */
        public String sunsetHeader() {
            return sunset == null ? null
                    : DateTimeFormatter.RFC_1123_DATE_TIME.format(sunset.atStartOfDay(ZoneOffset.UTC));
        }
    }

    private final Map<String, Entry> byHash;
    private PersistedQueryCatalog(Map<String, Entry> byHash) {
        this.byHash = byHash;
    }

    public Collection<Entry> entries() {
        return byHash.values();
    }

    /** The entry whose document has this SHA-256 (lowercase hex), or null. */
    public Entry find(String sha256) {
        return byHash.get(sha256);
    }

    /**
     * Reads and checks registries (the built-in one, then any extra ones); an id or hash in two
     * of them is an error.
     *
     * @throws IllegalArgumentException naming the registry and entry that is wrong
     */
    public static PersistedQueryCatalog load(GraphQLSchema schema, Map<String, Reader> registries) {
        Map<String, Entry> byHash = new LinkedHashMap<>();
        Map<String, String> ids = new LinkedHashMap<>();
        registries.forEach((name, reader) -> {
            for (Entry entry : read(schema, name, reader)) {
                String where = name + ": " + entry.id();
                if (ids.putIfAbsent(entry.id(), name) != null) {
                    throw new IllegalArgumentException(where + " is registered twice");
                }
                if (byHash.putIfAbsent(entry.sha256(), entry) != null) {
                    throw new IllegalArgumentException(where + " has the same document as "
                            + byHash.get(entry.sha256()).id());
                }
            }
        });
        for (Entry entry : byHash.values()) {
            if (entry.successor() != null && !ids.containsKey(entry.successor())) {
                throw new IllegalArgumentException(ids.get(entry.id()) + ": " + entry.id() + " names successor " + entry.successor()
                        + ", which is not registered");
            }
        }
        return new PersistedQueryCatalog(Map.copyOf(byHash));
    }

    private static List<Entry> read(GraphQLSchema schema, String name, Reader reader) {
        JsonArray queries;
        try (JsonReader json = Json.createReader(reader)) {
            JsonValue root = json.readValue();
            if (!(root instanceof JsonObject o) || !(o.get("queries") instanceof JsonArray a)) {
                throw new IllegalArgumentException(name + ": expected an object with a \"queries\" array");
            }
            queries = a;
        } catch (JsonException e) {
            throw new IllegalArgumentException(name + ": not valid JSON: " + e.getMessage(), e);
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            String where = name + " queries[" + i + "]";
            if (!(queries.get(i) instanceof JsonObject o)) {
                throw new IllegalArgumentException(where + ": expected an object");
            }
            entries.add(entry(schema, where, o));
        }
        return entries;
    }

    private static Entry entry(GraphQLSchema schema, String where, JsonObject o) {
        String id = text(o, "id", where, true);
        where = where + " (" + id + ")";
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(where + ": an id is lowercase name_v<version>, e.g. pq_tenant_coherence_v1");
        }
        String sha256 = text(o, "sha256", where, true);
        String document = text(o, "document", where, true);
        String actual = Sha256.hex(document);
        if (!actual.equals(sha256)) {
            throw new IllegalArgumentException(where + ": sha256 is " + sha256 + " but the document's SHA-256 is " + actual);
        }
        checkDocument(schema, where, document);
        LocalDate deprecated = date(o, "deprecated", where);
        LocalDate sunset = date(o, "sunset", where);
        if (sunset != null && (deprecated == null || !deprecated.isBefore(sunset))) {
            throw new IllegalArgumentException(where + ": a sunset needs an earlier deprecated date");
        }
        String successor = text(o, "successor", where, false);
        if (successor != null && deprecated == null) {
            throw new IllegalArgumentException(where + ": only a deprecated entry names a successor");
        }
        return new Entry(id, sha256, document, deprecated, sunset, successor);
    }

    private static void checkDocument(GraphQLSchema schema, String where, String document) {
        Document parsed;
        try {
            parsed = Parser.parse(document);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(where + ": the document does not parse: " + e.getMessage(), e);
        }
        List<OperationDefinition> operations = parsed.getDefinitionsOfType(OperationDefinition.class);
        if (operations.size() != 1) {
            throw new IllegalArgumentException(where + ": a registered document holds exactly one operation");
        }
        if (ApiSchema.onlyIntrospection(operations.get(0))) {
            throw new IllegalArgumentException(where + ": introspection is not registered; it is a dev-mode tool");
        }
        List<ValidationError> invalid = new Validator().validateDocument(schema, parsed, Locale.ENGLISH);
        if (!invalid.isEmpty()) {
            throw new IllegalArgumentException(where + ": the document does not match the schema: "
                    + invalid.get(0).getMessage());
        }
    }

    private static String text(JsonObject o, String key, String where, boolean required) {
        JsonValue value = o.get(key);
        if (value == null || value == JsonValue.NULL) {
            if (required) {
                throw new IllegalArgumentException(where + ": \"" + key + "\" is required");
            }
            return null;
        }
        if (!(value instanceof JsonString s) || s.getString().isBlank()) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a non-empty string");
        }
        return s.getString();
    }

    private static LocalDate date(JsonObject o, String key, String where) {
        String value = text(o, key, where, false);
        try {
            return value == null ? null : LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a date, YYYY-MM-DD", e);
        }
    }
}
