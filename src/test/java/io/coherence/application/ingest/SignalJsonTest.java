package io.coherence.application.ingest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

class SignalJsonTest {

    private static final String FULL = """
            {"tenantId":"tenant-a","type":"latency","value":0.25,"weight":2,"source":"probe-1",
             "ts":"2026-03-01T12:00:00Z","signalId":"sig-1"}""";
    private static final String MINIMAL = """
            {"tenantId":"tenant-b","type":"errors","value":1,"source":"probe-2"}""";

    private static CoherenceException refused(String body) {
        CoherenceException e = catchThrowableOfType(CoherenceException.class, () -> SignalJson.parse(body));
        assertThat(e).as("parsing %s should be refused", body).isNotNull();
        return e;
    }

    @Test
    void aSingleObjectIsOneItemAndNotABatch() {
        SignalJson.Parsed parsed = SignalJson.parse(FULL);

        assertThat(parsed.batch()).isFalse();
        assertThat(parsed.items()).singleElement().satisfies(item -> {
            assertThat(item.tenantId()).isEqualTo("tenant-a");
            assertThat(item.type()).isEqualTo("latency");
            assertThat(item.value()).isEqualTo(0.25);
            assertThat(item.weight()).isEqualTo(2.0);
            assertThat(item.source()).isEqualTo("probe-1");
            assertThat(item.ts()).isEqualTo("2026-03-01T12:00:00Z");
            assertThat(item.signalId()).isEqualTo("sig-1");
        });
    }

    @Test
    void anArrayIsABatchInOrder() {
        SignalJson.Parsed parsed = SignalJson.parse("[" + FULL + "," + MINIMAL + "]");

        assertThat(parsed.batch()).isTrue();
        assertThat(parsed.items()).extracting(SignalSubmission::tenantId).containsExactly("tenant-a", "tenant-b");
    }

    @Test
    void anArrayOfOneIsStillABatch() {
        SignalJson.Parsed parsed = SignalJson.parse("[" + MINIMAL + "]");

        assertThat(parsed.batch()).isTrue();
        assertThat(parsed.items()).hasSize(1);
    }

    @Test
    void anEmptyArrayIsAnEmptyBatch() {
        SignalJson.Parsed parsed = SignalJson.parse("[]");

        assertThat(parsed.batch()).isTrue();
        assertThat(parsed.items()).isEmpty();
    }

    @Test
    void missingAndNullOptionalFieldsAreAccepted() {
        SignalJson.Parsed parsed = SignalJson.parse("""
                {"tenantId":"tenant-a","type":"latency","value":0.5,"source":"probe-1",
                 "weight":null,"ts":null,"signalId":null}""");

        SignalSubmission item = parsed.items().get(0);
        assertThat(item.weight()).isNull();
        assertThat(item.ts()).isNull();
        assertThat(item.signalId()).isNull();
        assertThat(SignalJson.parse(MINIMAL).items().get(0).weight()).isNull();
    }

    @Test
    void nullRequiredFieldsAreLeftToValidation() {
        SignalSubmission item = SignalJson.parse("{\"tenantId\":null,\"value\":null}").items().get(0);

        assertThat(item.tenantId()).isNull();
        assertThat(item.value()).isNull();
    }

    @Test
    void anUnknownFieldOfABatchItemIsNamedWithItsIndex() {
        CoherenceException e = refused("[" + MINIMAL + ",{\"tenantId\":\"t\",\"colour\":\"red\"}]");

        assertThat(e.code()).isEqualTo(ErrorCode.BAD_USER_INPUT);
        assertThat(e.violations()).extracting(Violation::index, Violation::field, Violation::code)
                .containsExactly(tuple(1, "colour", "UNKNOWN_FIELD"));
    }

    @Test
    void anUnknownFieldOfASingleObjectHasNoIndex() {
        CoherenceException e = refused("{\"tenantId\":\"t\",\"tenant_id\":\"t\"}");

        assertThat(e.code()).isEqualTo(ErrorCode.BAD_USER_INPUT);
        assertThat(e.violations()).extracting(Violation::index, Violation::field, Violation::code)
                .containsExactly(tuple(null, "tenant_id", "UNKNOWN_FIELD"));
    }

    @Test
    void wrongTypesAreReportedPerField() {
        CoherenceException e = refused("""
                [{"tenantId":7,"type":["latency"],"value":"0.5","weight":true,"source":{},"ts":1767225600,
                  "signalId":12}]""");

        assertThat(e.code()).isEqualTo(ErrorCode.BAD_USER_INPUT);
        assertThat(e.violations()).extracting(Violation::index, Violation::field, Violation::code)
                .containsExactlyInAnyOrder(
                        tuple(0, "tenantId", "INVALID_TYPE"),
                        tuple(0, "type", "INVALID_TYPE"),
                        tuple(0, "value", "INVALID_TYPE"),
                        tuple(0, "weight", "INVALID_TYPE"),
                        tuple(0, "source", "INVALID_TYPE"),
                        tuple(0, "ts", "INVALID_TYPE"),
                        tuple(0, "signalId", "INVALID_TYPE"));
        assertThat(e.violations()).allSatisfy(v -> assertThat(v.message()).isNotBlank());
    }

    @Test
    void violationsOfEveryItemAreCollected() {
        CoherenceException e = refused("[{\"value\":\"x\"}," + MINIMAL + ",{\"extra\":1,\"weight\":\"2\"}]");

        assertThat(e.violations()).extracting(Violation::index, Violation::field, Violation::code)
                .containsExactlyInAnyOrder(
                        tuple(0, "value", "INVALID_TYPE"),
                        tuple(2, "extra", "UNKNOWN_FIELD"),
                        tuple(2, "weight", "INVALID_TYPE"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"tenantId\":\"a\",\"tenantId\":\"b\"}",
            "[{\"value\":0.1,\"value\":0.9}]",
            "{\"tenantId\":\"a\",\"type\":\"t\",\"type\":\"t\"}"})
    void duplicateKeysAreRefusedAsMalformed(String body) {
        assertThat(refused(body).code()).isEqualTo(ErrorCode.MALFORMED_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "tenantId=a", "{", "{\"tenantId\":}", "[{}", "{'tenantId':'a'}", "{\"a\":1,}"})
    void somethingThatIsNotJsonIsMalformed(String body) {
        CoherenceException e = refused(body);

        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON);
        assertThat(e.violations()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "-1.5", "\"a string\"", "true", "null"})
    void aTopLevelScalarIsMalformed(String body) {
        assertThat(refused(body).code()).isEqualTo(ErrorCode.MALFORMED_JSON);
    }

    /** Two values in one body are not one JSON document; silently keeping the first would drop signals. */
    @ParameterizedTest
    @ValueSource(strings = {MINIMAL + " " + MINIMAL, MINIMAL + " trailing", "[" + MINIMAL + "] []"})
    void contentAfterTheFirstValueIsMalformed(String body) {
        assertThat(refused(body).code()).isEqualTo(ErrorCode.MALFORMED_JSON);
    }

    @Test
    void anArrayItemThatIsNotAnObjectIsAnInvalidType() {
        CoherenceException e = refused("[" + MINIMAL + ",5,\"x\",null,[]]");

        assertThat(e.code()).isEqualTo(ErrorCode.BAD_USER_INPUT);
        assertThat(e.violations()).extracting(Violation::index, Violation::field, Violation::code)
                .containsExactly(
                        tuple(1, null, "INVALID_TYPE"),
                        tuple(2, null, "INVALID_TYPE"),
                        tuple(3, null, "INVALID_TYPE"),
                        tuple(4, null, "INVALID_TYPE"));
    }

    @Test
    void aNumberTooLargeForADoubleIsNotFinite() {
        CoherenceException e = refused("{\"tenantId\":\"a\",\"value\":1e400,\"weight\":-1E400}");

        assertThat(e.code()).isEqualTo(ErrorCode.BAD_USER_INPUT);
        assertThat(e.violations()).extracting(Violation::index, Violation::field, Violation::code)
                .containsExactlyInAnyOrder(tuple(null, "value", "NOT_FINITE"), tuple(null, "weight", "NOT_FINITE"));
    }

    @Test
    void aNumberTooSmallForADoubleBecomesZeroAndIsLeftToValidation() {
        assertThat(SignalJson.parse("{\"value\":1e-400}").items().get(0).value()).isZero();
    }
}
