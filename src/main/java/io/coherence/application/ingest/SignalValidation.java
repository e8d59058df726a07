package io.coherence.application.ingest;

import io.coherence.application.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Checks submissions: the field constraints of {@link SignalSubmission} (Bean Validation) and
 * the timestamp rules, which depend on the clock: ISO-8601 with an offset, at most
 * {@code maxFutureSkew} ahead. How old a {@code ts} may be depends on the tenant's retention tier,
 * checked once the caller may write the tenant ({@link IngestService}).
 */
@ApplicationScoped
public class SignalValidation {

    private static final Map<String, String> MESSAGES = Map.of(
            "REQUIRED", "is required",
            "TOO_LONG", "must be 1 to " + SignalSubmission.MAX_TEXT + " characters",
            "NOT_PRINTABLE", "must not contain control or formatting characters, or start or end with spaces",
            "OUT_OF_RANGE", "is out of range (value: 0 to 1; weight: greater than 0, at most " + SignalSubmission.MAX_WEIGHT + ")");

    private final Validator validator;

    /** For the CDI client proxy only. */
    protected SignalValidation() {
        this(null);
    }

    @Inject
    public SignalValidation(Validator validator) {
        this.validator = validator;
    }

    /** All violations of all items, in item then field order; empty when every item is valid. */
    public List<Violation> check(List<SignalSubmission> items, boolean batch, Instant now, IngestSettings settings) {
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Integer index = batch ? i : null;
            SignalSubmission item = items.get(i);
            List<Violation> ofItem = new ArrayList<>();
            for (ConstraintViolation<SignalSubmission> v : validator.validate(item)) {
                String code = v.getMessage();
                ofItem.add(new Violation(index, v.getPropertyPath().toString(), code, MESSAGES.getOrDefault(code, code)));
            }
            checkTimestamp(item.ts(), index, now, settings, ofItem);
            ofItem.sort(Comparator.comparing(Violation::field).thenComparing(Violation::code));
            violations.addAll(ofItem.stream().distinct().toList());
        }
        return violations;
    }

    /** The signal's instant: its {@code ts}, or now when it has none. Call after {@link #check}. */
    static Instant timestamp(SignalSubmission item, Instant now) {
        return item.ts() == null ? now : OffsetDateTime.parse(item.ts(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    private static void checkTimestamp(String ts, Integer index, Instant now, IngestSettings settings, List<Violation> out) {
        if (ts == null) {
            return;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(ts, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            out.add(new Violation(index, "ts", "INVALID_TIMESTAMP", "must be ISO-8601 with an offset, e.g. 2026-01-31T12:00:00Z"));
            return;
        }
        if (instant.isAfter(now.plus(settings.maxFutureSkew()))) {
            out.add(new Violation(index, "ts", "TS_IN_FUTURE", "must not be more than " + settings.maxFutureSkew() + " in the future"));
        }
    }
}
