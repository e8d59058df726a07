package io.coherence.interfaces;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.application.ErrorCode;
import io.coherence.application.Violation;
import jakarta.json.JsonObject;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorStatusTest {

    @Test
    void everyCodeHasOneStatusAndRefusalsOfTheWholeRequestAreNotSuccesses() {
        for (ErrorCode code : ErrorCode.values()) {
            int status = ErrorStatus.of(code);
            assertThat(status).as(code.name()).isBetween(200, 599);
        }
        // 200 only where GraphQL over HTTP or Apollo's protocol asks for it.
        assertThat(EnumSet.allOf(ErrorCode.class).stream().filter(c -> ErrorStatus.of(c) == 200))
                .containsExactlyInAnyOrder(ErrorCode.GRAPHQL_PARSE_FAILED, ErrorCode.GRAPHQL_VALIDATION_FAILED,
                        ErrorCode.PERSISTED_QUERY_NOT_FOUND);
    }

    @Test
    void theHttpLayersOwnRefusalsMapBackToTheirCodes() {
        for (int status : new int[] {404, 405, 406, 413, 415}) {
            assertThat(ErrorStatus.of(ErrorStatus.codeOf(status))).isEqualTo(status);
        }
        assertThat(ErrorStatus.codeOf(400)).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(ErrorStatus.codeOf(502)).isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void oneWriterGivesEachShape() {
        Violation v = new Violation(3, "value", "OUT_OF_RANGE", "must be within [0, 1]");
        JsonObject rest = ErrorDocuments.rest(ErrorCode.BAD_USER_INPUT, "input is invalid", List.of(v));
        assertThat(rest.getJsonObject("error").getString("code")).isEqualTo("BAD_USER_INPUT");
        assertThat(rest.getJsonObject("error").getJsonArray("details").getJsonObject(0).getInt("index")).isEqualTo(3);

        JsonObject graphql = ErrorDocuments.graphql(ErrorCode.BAD_USER_INPUT, "input is invalid", List.of(v),
                List.of(new ErrorDocuments.Location(1, 7)));
        assertThat(graphql.getJsonObject("extensions").getJsonArray("violations").getJsonObject(0).getString("field"))
                .isEqualTo("input.value");
        assertThat(graphql.getJsonArray("locations").getJsonObject(0).getInt("column")).isEqualTo(7);
        assertThat(ErrorDocuments.graphqlAnswer(List.of(graphql)).containsKey("data")).isFalse();
    }
}
