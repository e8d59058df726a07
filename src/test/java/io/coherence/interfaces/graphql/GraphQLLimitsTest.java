package io.coherence.interfaces.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.parser.Parser;
import io.coherence.testsupport.GraphQLDocuments;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GraphQLLimitsTest {

    private final GraphQLLimits limits = new GraphQLLimits(16_384, 5, 10, 200, 30);

    private Optional<String> code(String file, String operationName) {
        String document = GraphQLDocuments.load(file);
        Optional<GraphQLLimits.Refusal> size = limits.checkSize(document);
        if (size.isPresent()) {
            return size.map(r -> r.code().name());
        }
        return limits.check(Parser.parse(document), operationName).map(r -> r.code().name());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "limit-deep.graphql, QUERY_TOO_DEEP",
            "limit-wide.graphql, QUERY_TOO_COMPLEX",
            "limit-alias-bomb.graphql, TOO_MANY_ALIASES",
            "limit-six-operations.graphql, TOO_MANY_OPERATIONS",
            "limit-huge-document.graphql, DOCUMENT_TOO_LARGE",
            "limit-fragment-bomb.graphql, QUERY_TOO_COMPLEX",
            "subscribe-alias-bomb.graphql, TOO_MANY_ALIASES"})
    void eachLimitHasItsCode(String file, String code) {
        assertThat(code(file, null)).contains(code);
    }

    @ParameterizedTest(name = "{0} passes")
    @CsvSource({"k6-read.graphql", "k6-write.graphql", "subscribe-signals.graphql", "subscribe-signals-shaped.graphql",
            "subscribe-bulky.graphql", "introspection-full.graphql", "introspect-subscriptions.graphql"})
    void theDocumentsClientsSendPass(String file) {
        assertThat(code(file, null)).isEmpty();
    }

    /** 20 fragments each spreading the next twice: counted as 2^20 + 1 fields, each fragment measured once. */
    @Test
    void aFragmentBombIsCountedAsExpandedWithoutExpandingIt() {
        Optional<GraphQLLimits.Refusal> refusal = limits.check(
                Parser.parse(GraphQLDocuments.load("limit-fragment-bomb.graphql")), null);

        assertThat(refusal).map(GraphQLLimits.Refusal::message)
                .hasValueSatisfying(m -> assertThat(m).contains("selects 1048577 fields"));
    }

    @Test
    void onlyTheOperationToRunIsMeasured() {
        String two = "query Small { a } query Deep { l0 { l1 { l2 { l3 { l4 { l5 { l6 { l7 { l8 { l9 { x } } } } } } } } } } }";

        assertThat(limits.check(Parser.parse(two), "Small")).isEmpty();
        assertThat(limits.check(Parser.parse(two), "Deep")).map(r -> r.code().name()).contains("QUERY_TOO_DEEP");
    }
}
