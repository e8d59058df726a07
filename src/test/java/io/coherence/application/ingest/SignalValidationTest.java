package io.coherence.application.ingest;

import io.coherence.application.Violation;
import io.coherence.domain.tenant.PolicyTags;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SignalValidationTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final IngestSettings SETTINGS = new IngestSettings(100, 1 << 20, Duration.ofMinutes(5));

    private static ValidatorFactory factory;
    private static SignalValidation validation;

    @BeforeAll
    static void createValidator() {
        factory = Validation.buildDefaultValidatorFactory();
        validation = new SignalValidation(factory.getValidator());
    }

    @AfterAll
    static void closeValidator() {
        factory.close();
    }

    /** A valid submission, changed one field at a time by the tests. */
    private record Item(String tenantId, String type, Double value, Double weight, String source, String ts,
                        String signalId) {

        static Item valid() {
            return new Item("tenant-a", "latency", 0.5, null, "probe-1", null, null);
        }

        Item tenantId(String v) {
            return new Item(v, type, value, weight, source, ts, signalId);
        }

        Item type(String v) {
            return new Item(tenantId, v, value, weight, source, ts, signalId);
        }

        Item value(Double v) {
            return new Item(tenantId, type, v, weight, source, ts, signalId);
        }

        Item weight(Double v) {
            return new Item(tenantId, type, value, v, source, ts, signalId);
        }

        Item source(String v) {
            return new Item(tenantId, type, value, weight, v, ts, signalId);
        }

        Item ts(String v) {
            return new Item(tenantId, type, value, weight, source, v, signalId);
        }

        Item signalId(String v) {
            return new Item(tenantId, type, value, weight, source, ts, v);
        }

        SignalSubmission submission() {
            return new SignalSubmission(tenantId, type, value, weight, source, ts, signalId);
        }
    }

    private static List<Violation> check(Item item) {
        return validation.check(List.of(item.submission()), false, NOW, SETTINGS);
    }

    private static List<org.assertj.core.groups.Tuple> violationsOf(Item item) {
        return check(item).stream().map(v -> tuple(v.index(), v.field(), v.code())).toList();
    }

    @Test
    void aValidSubmissionHasNoViolations() {
        assertThat(check(Item.valid())).isEmpty();
        assertThat(check(Item.valid().weight(2.5).ts("2026-03-01T11:00:00Z").signalId("sig-1"))).isEmpty();
    }

    static Stream<Arguments> requiredMissing() {
        return Stream.of(
                arguments("tenantId", (Function<Item, Item>) i -> i.tenantId(null)),
                arguments("tenantId", (Function<Item, Item>) i -> i.tenantId("")),
                arguments("tenantId", (Function<Item, Item>) i -> i.tenantId("   ")),
                arguments("type", (Function<Item, Item>) i -> i.type(null)),
                arguments("type", (Function<Item, Item>) i -> i.type("  ")),
                arguments("value", (Function<Item, Item>) i -> i.value(null)),
                arguments("source", (Function<Item, Item>) i -> i.source(null)),
                arguments("source", (Function<Item, Item>) i -> i.source("")));
    }

    @ParameterizedTest(name = "{0} #{index}")
    @MethodSource("requiredMissing")
    void blankOrMissingRequiredFieldsAreRequired(String field, Function<Item, Item> change) {
        List<Violation> violations = check(change.apply(Item.valid()));

        assertThat(violations).extracting(Violation::index, Violation::field, Violation::code)
                .containsExactly(tuple(null, field, "REQUIRED"));
        assertThat(violations.get(0).message()).isEqualTo("is required");
    }

    static Stream<Arguments> textFields() {
        return Stream.of(
                arguments("tenantId", (Function<String, Item>) s -> Item.valid().tenantId(s)),
                arguments("type", (Function<String, Item>) s -> Item.valid().type(s)),
                arguments("source", (Function<String, Item>) s -> Item.valid().source(s)),
                arguments("signalId", (Function<String, Item>) s -> Item.valid().signalId(s)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("textFields")
    void textOf129CharactersIsTooLongAnd128IsFine(String field, Function<String, Item> with) {
        assertThat(violationsOf(with.apply("x".repeat(129)))).containsExactly(tuple(null, field, "TOO_LONG"));
        assertThat(check(with.apply("x".repeat(128)))).isEmpty();
        assertThat(check(with.apply("é".repeat(128)))).isEmpty();
    }

    static Stream<Arguments> unprintable() {
        return textFields().flatMap(f -> Stream.of(
                        "a\u0000b", "a\tb", "a\nb", "a\rb", "a\u007fb", "a\u0085b",
                        "a\u200Bb", "a\u200Db", "\u202Eevil", "a\u2066b", "a\uFEFFb",
                        "a\u2028b", "a\u2029b", "a\uD800b")
                .map(text -> arguments(f.get()[0], f.get()[1], text)));
    }

    @ParameterizedTest(name = "{0} with U+{2}")
    @MethodSource("unprintable")
    void controlFormatAndSeparatorCharactersAreNotPrintable(String field, Function<String, Item> with, String text) {
        List<Violation> violations = check(with.apply(text));

        assertThat(violations).extracting(Violation::index, Violation::field, Violation::code)
                .containsExactly(tuple(null, field, "NOT_PRINTABLE"));
    }

    @Test
    void printableUnicodeIsFine() {
        assertThat(check(Item.valid().tenantId("tenant-ü").type("Latenz €").source("探针 1").signalId("sig 1 ✓")))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {" sig", "sig ", " "})
    void aSignalIdMustNotStartOrEndWithSpace(String signalId) {
        assertThat(violationsOf(Item.valid().signalId(signalId))).containsExactly(tuple(null, "signalId", "NOT_PRINTABLE"));
    }

    @Test
    void anEmptySignalIdIsRefused() {
        assertThat(check(Item.valid().signalId(""))).extracting(Violation::field).containsOnly("signalId").isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, 1.01, -1e-9, 1.0000001, 1e300})
    void valuesOutsideZeroToOneAreOutOfRange(double value) {
        assertThat(violationsOf(Item.valid().value(value))).containsExactly(tuple(null, "value", "OUT_OF_RANGE"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0, 0.5, 1e-9})
    void valuesFromZeroToOneAreFine(double value) {
        assertThat(check(Item.valid().value(value))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.0, -1.0, -1e-9})
    void weightsThatAreNotPositiveAreOutOfRange(double weight) {
        assertThat(violationsOf(Item.valid().weight(weight))).containsExactly(tuple(null, "weight", "OUT_OF_RANGE"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {1e-9, 1.0, 1e6, Double.MIN_VALUE})
    void positiveWeightsAreFine(double weight) {
        assertThat(check(Item.valid().weight(weight))).isEmpty();
    }

    /** Two weights of 1e308 overflowed the window sums and jammed the tenant's score. */
    @ParameterizedTest
    @ValueSource(doubles = {1_000_000.0001, 1e7, 1e308, Double.MAX_VALUE, Double.POSITIVE_INFINITY})
    void weightsAboveTheMaximumAreOutOfRange(double weight) {
        assertThat(violationsOf(Item.valid().weight(weight))).containsExactly(tuple(null, "weight", "OUT_OF_RANGE"));
    }

    @Test
    void theIngestMaximumIsTheDomainsMaximumWeight() {
        assertThat(Double.parseDouble(SignalSubmission.MAX_WEIGHT)).isEqualTo(io.coherence.domain.signal.Signal.MAX_WEIGHT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-01T00:00:00", "2026-01-01", "yesterday", "2026-02-30T00:00:00Z",
            "2026-01-01T00:00:00+25:00", "1767225600", ""})
    void timestampsWithoutOffsetOrNotIsoAreInvalid(String ts) {
        assertThat(violationsOf(Item.valid().ts(ts))).containsExactly(tuple(null, "ts", "INVALID_TIMESTAMP"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-03-01T12:00:00Z", "2026-03-01T13:00:00+01:00", "2026-03-01T06:30:00.123456789-05:30"})
    void timestampsWithAnOffsetAreFine(String ts) {
        assertThat(check(Item.valid().ts(ts))).isEmpty();
    }

    @Test
    void timestampsMoreThanTheSkewAheadAreInTheFuture() {
        assertThat(violationsOf(Item.valid().ts(NOW.plus(Duration.ofMinutes(6)).toString())))
                .containsExactly(tuple(null, "ts", "TS_IN_FUTURE"));
        assertThat(violationsOf(Item.valid().ts(NOW.plus(Duration.ofMinutes(5)).plusNanos(1000).toString())))
                .containsExactly(tuple(null, "ts", "TS_IN_FUTURE"));
        assertThat(check(Item.valid().ts(NOW.plus(Duration.ofMinutes(5)).toString()))).isEmpty();
        assertThat(check(Item.valid().ts(NOW.plus(Duration.ofMinutes(4)).toString()))).isEmpty();
    }

    @Test
    void oldTimestampsAreLeftToTheTenantsRetentionTier() {
        // IngestServiceTest checks them against the tier, once the caller may write the tenant.
        assertThat(check(Item.valid().ts("2020-01-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void violationsCarryTheItemIndexOnlyForBatches() {
        List<SignalSubmission> items = List.of(Item.valid().submission(), Item.valid().value(2.0).submission(),
                Item.valid().tenantId(null).submission());

        assertThat(validation.check(items, true, NOW, SETTINGS))
                .extracting(Violation::index, Violation::field, Violation::code)
                .containsExactly(tuple(1, "value", "OUT_OF_RANGE"), tuple(2, "tenantId", "REQUIRED"));
        assertThat(validation.check(List.of(Item.valid().value(2.0).submission()), false, NOW, SETTINGS))
                .extracting(Violation::index).containsExactly((Integer) null);
    }

    @Test
    void everyViolationOfAnItemIsReportedSortedByField() {
        Item item = new Item(null, "x".repeat(129), 1.5, 0.0, "a\u202Eb", "2026-01-01T00:00:00", null);

        assertThat(violationsOf(item)).containsExactly(
                tuple(null, "source", "NOT_PRINTABLE"),
                tuple(null, "tenantId", "REQUIRED"),
                tuple(null, "ts", "INVALID_TIMESTAMP"),
                tuple(null, "type", "TOO_LONG"),
                tuple(null, "value", "OUT_OF_RANGE"),
                tuple(null, "weight", "OUT_OF_RANGE"));
        assertThat(check(item)).allSatisfy(v -> assertThat(v.message()).isNotBlank().isNotEqualTo(v.code()));
    }

    @Test
    void theTimestampIsTheGivenInstantOrNow() {
        assertThat(SignalValidation.timestamp(Item.valid().submission(), NOW)).isEqualTo(NOW);
        assertThat(SignalValidation.timestamp(Item.valid().ts("2026-03-01T13:00:00+01:00").submission(), NOW.minusSeconds(60)))
                .isEqualTo(NOW);
    }
}
