package io.coherence.domain.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.tenant.TenantDataPolicy;
import io.coherence.domain.tenant.TenantId;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Java retention rule against the table opa/retention.rego is held to (opa/testdata/retention.json). */
class RetentionTableTest {

    private static final Path TABLE = Path.of(System.getProperty("basedir", ".")).resolve("opa/testdata/retention.json");
    private static final Instant NOW = Instant.parse("2026-12-02T00:00:00Z");

    static Stream<Arguments> rows() throws IOException {
        try (JsonReader reader = Json.createReader(Files.newBufferedReader(TABLE))) {
            return reader.readObject().getJsonArray("retention").getValuesAs(JsonObject.class).stream()
                    .map(r -> Arguments.of(r.getString("name"), r.getJsonObject("input"), r.getJsonObject("expect")))
                    .toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theJavaRuleDecidesAsTheTableSays(String name, JsonObject input, JsonObject expect) {
        TenantDataPolicy policy = new TenantDataPolicy(TenantId.of("t1"), RetentionTier.parse(input.getString("tier")),
                "p", "l", "US", input.getBoolean("legalHold"), NOW);
        long ageSeconds = Math.round(input.getJsonNumber("ageDays").doubleValue() * 86_400);

        RetentionVerdict verdict = policy.retention(NOW.minusSeconds(ageSeconds), NOW);

        assertThat(verdict).isEqualTo(new RetentionVerdict(expect.getBoolean("prune"), expect.getString("explain")));
    }
}
