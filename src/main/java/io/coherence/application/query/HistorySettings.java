package io.coherence.application.query;

import java.time.Duration;

/**
 * Bounds of {@code tenantCoherenceHistory}: the longest range one request may cover
 * ({@code maxRange}) and the most points it may return ({@code maxPoints}).
 */
public record HistorySettings(Duration maxRange, int maxPoints) {

    public HistorySettings {
        if (maxRange.compareTo(Duration.ofMinutes(1)) < 0 || maxPoints < 1) {
            throw new IllegalArgumentException("the history range must be at least a minute and the points at least one");
        }
    }
}
