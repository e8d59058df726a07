package io.coherence.infrastructure.policy;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** opa/testdata/decisions.json, the table both policy engines (and the Rego tests) are held to. */
final class DecisionTable {

    static final Path FILE = Path.of(System.getProperty("basedir", ".")).resolve("opa/testdata/decisions.json");

    private DecisionTable() {
    }

    static List<JsonObject> rows() {
        try (JsonReader reader = Json.createReader(Files.newBufferedReader(FILE))) {
            return reader.readObject().getJsonArray("decisions").getValuesAs(JsonObject.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** (name, input, expected decision) per row, for parameterised tests. */
    static Stream<Arguments> arguments() {
        return rows().stream().map(r -> Arguments.of(r.getString("name"), r.getJsonObject("input"),
                r.getJsonObject("expect")));
    }
}
