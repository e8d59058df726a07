package io.coherence.interfaces.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.application.ErrorCode;
import org.junit.jupiter.api.Test;

/** A document is read once: size, syntax, limits, schema, in that order, and the verdict kept. */
class PreparedDocumentTest {

    private final PreparedDocuments documents = new PreparedDocuments(ApiSchema.get(), new GraphQLLimits(200, 2, 4, 20, 2));

    @Test
    void aDocumentOverTheSizeLimitIsNeverParsed() {
        PreparedDocument d = documents.prepare("{ tenantCoherence(tenantId: \"" + "x".repeat(300) + "\") { score } }");

        assertThat(d.document()).isNull();
        assertThat(d.refusal(null)).map(PreparedDocument.Refusal::code).contains(ErrorCode.DOCUMENT_TOO_LARGE);
    }

    @Test
    void aSyntaxErrorSaysWhere() {
        PreparedDocument d = documents.prepare("{ tenantCoherence(tenantId: \"a\") { score }");

        PreparedDocument.Refusal r = d.refusal(null).orElseThrow();
        assertThat(r.code()).isEqualTo(ErrorCode.GRAPHQL_PARSE_FAILED);
        assertThat(r.errors().get(0).getJsonArray("locations")).isNotEmpty();
    }

    @Test
    void limitsComeBeforeTheSchema() {
        // Too deep and also not in the schema: the limit is what the client hears.
        PreparedDocument d = documents.prepare("{ a { b { c { d { e } } } } }");

        assertThat(d.refusal(null)).map(PreparedDocument.Refusal::code).contains(ErrorCode.QUERY_TOO_DEEP);
    }

    @Test
    void aDocumentTheSchemaRejectsIsAValidationFailureWithEveryProblem() {
        PreparedDocument d = documents.prepare("{ tenantCoherence(tenantId: \"a\") { password secret } }");

        PreparedDocument.Refusal r = d.refusal(null).orElseThrow();
        assertThat(r.code()).isEqualTo(ErrorCode.GRAPHQL_VALIDATION_FAILED);
        assertThat(r.errors()).hasSize(2);
    }

    @Test
    void anOperationNameTheDocumentDoesNotHoldIsRefused() {
        PreparedDocument d = documents.prepare("query A { tenantCoherence(tenantId: \"a\") { score } }");

        assertThat(d.refusal("A")).isEmpty();
        assertThat(d.operationType("A")).isEqualTo("query");
        assertThat(d.refusal("B")).map(PreparedDocument.Refusal::code).contains(ErrorCode.GRAPHQL_VALIDATION_FAILED);
        assertThat(d.operationType("B")).isEqualTo("unknown");
    }

    @Test
    void theSameTextIsPreparedOnce() {
        String text = "{ tenantCoherence(tenantId: \"a\") { score status } }";

        assertThat(documents.prepare(text)).isSameAs(documents.prepare(text));
        assertThat(documents.pin(text)).isNotNull();
        assertThat(documents.prepare(text)).isSameAs(documents.pin(text));
    }

    @Test
    void introspectionIsToldApart() {
        assertThat(documents.prepare("{ __schema { queryType { name } } }").introspectionOnly(null)).isTrue();
        assertThat(documents.prepare("{ tenantCoherence(tenantId: \"a\") { __typename } }").introspectionOnly(null)).isFalse();
    }
}
