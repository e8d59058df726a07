package io.coherence.interfaces.graphql;

import io.coherence.interfaces.PersistedQueryMode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coherence.application.ErrorCode;
import io.coherence.domain.provenance.Sha256;
import io.coherence.interfaces.ErrorStatus;
import io.coherence.interfaces.graphql.PersistedQueryResolver.Refused;
import io.coherence.interfaces.graphql.PersistedQueryResolver.Resolution;
import io.coherence.interfaces.graphql.PersistedQueryResolver.Run;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PersistedQueriesTest {

    private static final String READ = "query($tenantId:ID!){ tenantCoherence(tenantId:$tenantId){ score status updatedAt } }";
    private static final String UNREGISTERED = "query($t:ID!){ tenantCoherence(tenantId:$t){ score } }";
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

    private final PersistedQueryResolver builtIn = resolver(PersistedQueryResolver.read(Optional.empty()));

    private static JsonValue pq(String hash) {
        return Json.createObjectBuilder().add("version", 1).add("sha256Hash", hash).build();
    }

    private static JsonValue json(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }

    @Test
    void theBuiltInRegistryHoldsTheSeedsQueriesAndTheSubscriptions() {
        Map<String, String> ids = builtIn.catalog().entries().stream()
                .collect(Collectors.toMap(PersistedQueryCatalog.Entry::id, PersistedQueryCatalog.Entry::document));
        assertThat(ids).containsKeys("pq_tenant_coherence_v1", "pq_publish_signal_v1", "pq_coherence_events_v1",
                "pq_coherence_score_changed_v1", "pq_tenant_data_policy_v1", "pq_set_tenant_data_policy_v1",
                "pq_request_erasure_v1", "pq_erasure_request_v1", "pq_run_retention_v1", "pq_verify_ledger_v1");
        // The seed's two documents, character for character.
        assertThat(ids.get("pq_tenant_coherence_v1")).isEqualTo(READ);
        assertThat(ids.get("pq_publish_signal_v1"))
                .isEqualTo("mutation($input:PublishCoherenceSignalInput!){ publishCoherenceSignal(input:$input) }");
        builtIn.catalog().entries().forEach(e -> assertThat(e.sha256()).isEqualTo(Sha256.hex(e.document())));
    }

    @Test
    void aKnownHashRunsItsDocumentInBothModes() {
        for (PersistedQueryMode mode : PersistedQueryMode.values()) {
            Resolution r = builtIn.resolve(null, pq(Sha256.hex(READ)), mode, TODAY);
            assertThat(r).isInstanceOf(Run.class);
            assertThat(((Run) r).document()).isEqualTo(READ);
            assertThat(((Run) r).entry().id()).isEqualTo("pq_tenant_coherence_v1");
        }
    }

    @Test
    void anUnknownHashIsApollosPersistedQueryNotFound() {
        Resolution r = builtIn.resolve(null, pq("0".repeat(64)), PersistedQueryMode.STRICT, TODAY);
        assertThat(r).isEqualTo(new Refused(ErrorCode.PERSISTED_QUERY_NOT_FOUND, "PersistedQueryNotFound"));
    }

    @Test
    void aHashThatIsNotTheDocumentsIsRefusedInBothModes() {
        for (PersistedQueryMode mode : PersistedQueryMode.values()) {
            Resolution r = builtIn.resolve(UNREGISTERED, pq(Sha256.hex(READ)), mode, TODAY);
            assertThat(((Refused) r).code().name()).isEqualTo("PERSISTED_QUERY_HASH_MISMATCH");
            assertThat(ErrorStatus.of(((Refused) r).code())).isEqualTo(400);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "\"yes\"",
            "{\"version\":2,\"sha256Hash\":\"" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\"}",
            "{\"version\":1.5,\"sha256Hash\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
            "{\"sha256Hash\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
            "{\"version\":1}",
            "{\"version\":1,\"sha256Hash\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
            "{\"version\":1,\"sha256Hash\":\"abc\"}",
            "{\"version\":1,\"sha256Hash\":\"../../etc/passwd\"}",
            "{\"version\":1,\"sha256Hash\":42}"})
    void aMalformedPersistedQueryExtensionIsRefused(String extension) {
        Resolution r = builtIn.resolve(null, json(extension), PersistedQueryMode.DEV, TODAY);
        assertThat(((Refused) r).code().name()).isEqualTo("PERSISTED_QUERY_INVALID");
    }

    @Test
    void strictModeRunsRegisteredDocumentsOnly() {
        assertThat(((Run) builtIn.resolve(READ, null, PersistedQueryMode.STRICT, TODAY)).entry().id()).isEqualTo("pq_tenant_coherence_v1");
        assertThat(((Run) builtIn.resolve(READ, pq(Sha256.hex(READ)), PersistedQueryMode.STRICT, TODAY)).document()).isEqualTo(READ);
        assertThat(((Refused) builtIn.resolve(UNREGISTERED, null, PersistedQueryMode.STRICT, TODAY)).code().name())
                .isEqualTo("PERSISTED_QUERY_REQUIRED");
        // Registering by sending hash and document is a dev-mode convenience only.
        assertThat(((Refused) builtIn.resolve(UNREGISTERED, pq(Sha256.hex(UNREGISTERED)), PersistedQueryMode.STRICT, TODAY)).code().name())
                .isEqualTo("PERSISTED_QUERY_REQUIRED");
        assertThat(((Refused) builtIn.resolve(null, pq(Sha256.hex(UNREGISTERED)), PersistedQueryMode.STRICT, TODAY)).code().name())
                .isEqualTo("PERSISTED_QUERY_NOT_FOUND");
    }

    @Test
    void strictModeTurnsIntrospectionOff() {
        Refused r = (Refused) builtIn.resolve("{ __schema { queryType { name } } }", null, PersistedQueryMode.STRICT, TODAY);
        assertThat(r.code().name()).isEqualTo("INTROSPECTION_DISABLED");
        // A field named like introspection inside a normal query is not introspection.
        assertThat(((Refused) builtIn.resolve("{ tenantCoherence(tenantId:\"a\"){ __typename score } }", null,
                PersistedQueryMode.STRICT, TODAY)).code().name()).isEqualTo("PERSISTED_QUERY_REQUIRED");
    }

    @Test
    void devModeRunsAnyDocumentAndRemembersApolloRegistrations() {
        assertThat(((Run) builtIn.resolve(UNREGISTERED, null, PersistedQueryMode.DEV, TODAY)).entry()).isNull();
        String hash = Sha256.hex(UNREGISTERED);
        assertThat(builtIn.resolve(null, pq(hash), PersistedQueryMode.DEV, TODAY)).isInstanceOf(Refused.class);
        // Apollo's second step: hash and document; from then on the hash alone works.
        assertThat(((Run) builtIn.resolve(UNREGISTERED, pq(hash), PersistedQueryMode.DEV, TODAY)).document()).isEqualTo(UNREGISTERED);
        assertThat(((Run) builtIn.resolve(null, pq(hash), PersistedQueryMode.DEV, TODAY)).document()).isEqualTo(UNREGISTERED);
        // ... but not once the server is strict again.
        assertThat(((Refused) builtIn.resolve(null, pq(hash), PersistedQueryMode.STRICT, TODAY)).code().name()).isEqualTo("PERSISTED_QUERY_NOT_FOUND");
    }

    @Test
    void aRequestWithNeitherIsLeftToTheGraphQLRuntime() {
        assertThat(builtIn.resolve(null, null, PersistedQueryMode.STRICT, TODAY)).isNull();
    }

    private static String entry(String id, String document, String extra) {
        return "{\"id\":\"" + id + "\",\"sha256\":\"" + Sha256.hex(document) + "\",\"document\":" + Json.createValue(document)
                + extra + "}";
    }

    private static PersistedQueryResolver resolver(PersistedQueryCatalog catalog) {
        return PersistedQueryResolver.of(catalog, () -> PersistedQueryMode.STRICT, Clock.systemUTC());
    }

    private static PersistedQueryResolver load(String... entries) {
        Map<String, java.io.Reader> registries = new LinkedHashMap<>();
        registries.put("test.json", new StringReader("{\"queries\":[" + String.join(",", entries) + "]}"));
        return resolver(PersistedQueryCatalog.load(ApiSchema.get(), registries));
    }

    @Test
    void aRetiringEntryCarriesDeprecationAndSunsetHeadersAndIsRefusedFromItsSunset() {
        PersistedQueryResolver q = load(entry("pq_old_v1", UNREGISTERED,
                ",\"deprecated\":\"2026-11-01\",\"sunset\":\"2026-12-01\",\"successor\":\"pq_new_v2\""),
                entry("pq_new_v2", READ, ""));
        Run run = (Run) q.resolve(UNREGISTERED, null, PersistedQueryMode.STRICT, TODAY);
        assertThat(run.entry().deprecationHeader()).isEqualTo("@1793491200");
        assertThat(run.entry().sunsetHeader()).isEqualTo("Tue, 1 Dec 2026 00:00:00 GMT");
        Refused gone = (Refused) q.resolve(null, pq(Sha256.hex(UNREGISTERED)), PersistedQueryMode.DEV, LocalDate.of(2026, 12, 1));
        assertThat(gone.code().name()).isEqualTo("PERSISTED_QUERY_SUNSET");
        assertThat(gone.message()).contains("pq_old_v1", "2026-12-01", "pq_new_v2");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"id\":\"pq_a_v1\",\"sha256\":\"" + "0000000000000000000000000000000000000000000000000000000000000000"
                    + "\",\"document\":\"{ tenantCoherence(tenantId:\\\"a\\\"){ score } }\"} | but the document's SHA-256 is",
            "ID:PQ_A_V1 | an id is lowercase name_v<version>",
            "ID:pq_a | an id is lowercase name_v<version>",
            "DOC:query A { tenantCoherence(tenantId:\"a\"){ score } } query B { tenantCoherence(tenantId:\"b\"){ score } } | exactly one operation",
            "DOC:{ __schema { types { name } } } | introspection is not registered",
            "DOC:{ tenantCoherence(tenantId:\"a\"){ password } } | does not match the schema",
            "DOC:{ tenantCoherence( | does not parse",
            "EXTRA:,\"sunset\":\"2027-01-01\" | a sunset needs an earlier deprecated date",
            "EXTRA:,\"deprecated\":\"2027-01-01\",\"sunset\":\"2026-01-01\" | a sunset needs an earlier deprecated date",
            "EXTRA:,\"deprecated\":\"tomorrow\" | must be a date",
            "EXTRA:,\"deprecated\":\"2026-01-01\",\"successor\":\"pq_missing_v9\" | which is not registered",
            "EXTRA:,\"successor\":\"pq_a_v1\" | only a deprecated entry names a successor",
            "TWICE | is registered twice",
            "SAME | has the same document as"})
    void aWrongRegistryStopsTheLoadNamingTheEntry(String spec, String expected) {
        String doc = "{ tenantCoherence(tenantId:\"a\"){ score } }";
        assertThatThrownBy(() -> {
            if (spec.startsWith("{")) {
                load(spec);
            } else if (spec.startsWith("ID:")) {
                load(entry(spec.substring(3), doc, ""));
            } else if (spec.startsWith("DOC:")) {
                load(entry("pq_a_v1", spec.substring(4), ""));
            } else if (spec.startsWith("EXTRA:")) {
                load(entry("pq_a_v1", doc, spec.substring(6)));
            } else if (spec.equals("TWICE")) {
                load(entry("pq_a_v1", doc, ""), entry("pq_a_v1", READ, ""));
            } else {
                load(entry("pq_a_v1", doc, ""), entry("pq_b_v1", doc, ""));
            }
        }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(expected).hasMessageContaining("test.json");
    }

    @Test
    void aRegistryThatIsNotJsonNamesItself() {
        assertThatThrownBy(() -> PersistedQueryCatalog.load(ApiSchema.get(), Map.of("ops.json", new StringReader("{queries"))))
                .hasMessageContaining("ops.json").hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> PersistedQueryCatalog.load(ApiSchema.get(), Map.of("ops.json", new StringReader("[]"))))
                .hasMessageContaining("\"queries\" array");
    }

    @Test
    void theModeIsStrictOrDev() {
        assertThat(PersistedQueryMode.parse(" Strict ")).isEqualTo(PersistedQueryMode.STRICT);
        assertThatThrownBy(() -> PersistedQueryMode.parse("open")).hasMessageContaining("strict or dev");
    }
}
