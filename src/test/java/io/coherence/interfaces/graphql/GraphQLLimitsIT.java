package io.coherence.interfaces.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.TestServerIT;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Deep, wide, alias-bombed, batched and oversized documents at /graphql: refused before they run. */
@TestServerIT
class GraphQLLimitsIT {

    private final CoherenceClient api = CoherenceClient.forTestServer();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "limit-deep.graphql, QUERY_TOO_DEEP",
            "limit-wide.graphql, QUERY_TOO_COMPLEX",
            "limit-alias-bomb.graphql, TOO_MANY_ALIASES",
            "limit-six-operations.graphql, TOO_MANY_OPERATIONS",
            "limit-huge-document.graphql, DOCUMENT_TOO_LARGE",
            "limit-fragment-bomb.graphql, QUERY_TOO_COMPLEX"})
    void overLimitDocumentsAnswer400WithTheLimitsCode(String file, String code) {
        String tenant = "it-limits-" + UUID.randomUUID();

        HttpResponse<String> response = api.graphqlRaw(file, Map.of("t", tenant),
                api.token(tenant, CoherenceClient.READ_WRITE));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(CoherenceClient.json(response.body()).getJsonArray("errors").getJsonObject(0)
                .getJsonObject("extensions").getString("code")).isEqualTo(code);
    }

    @Test
    void batchedOperationsAreRefused() {
        String tenant = "it-limits-" + UUID.randomUUID();
        String one = "{\"query\":\"{ tenantCoherence(tenantId: \\\"" + tenant + "\\\") { score } }\"}";

        HttpResponse<String> response = api.postGraphqlBody("[" + one + "," + one + "]",
                api.token(tenant, CoherenceClient.READ_WRITE));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("BATCHED_OPERATIONS_NOT_SUPPORTED");
    }

    @Test
    void theLimitsApplyToGetRequestsToo() {
        String deep = io.coherence.testsupport.GraphQLDocuments.load("limit-deep.graphql");

        HttpResponse<String> response = api.get("/graphql?query=" + URLEncoder.encode(deep, StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("QUERY_TOO_DEEP");
    }
}
