package io.coherence.application.scoring;

import java.time.Duration;

/**
 * Materializer knobs: the scoring {@code window} (24 h), how often it runs ({@code interval}),
 * how old a score may get before it is recomputed even without new signals
 * ({@code maxStaleness}, so signals ageing out of the window are reflected), how many tenants
 * one run handles at most ({@code tenantsPerRun}), and the longest pause before a tenant whose
 * scoring keeps failing is tried again ({@code failureBackoffMax}; the pause starts at two
 * intervals and doubles with each failure).
 */
public record ScoringSettings(Duration window, Duration interval, Duration maxStaleness, int tenantsPerRun,
                              Duration failureBackoffMax) {

    public static final Duration DEFAULT_FAILURE_BACKOFF_MAX = Duration.ofMinutes(5);

    public ScoringSettings(Duration window, Duration interval, Duration maxStaleness, int tenantsPerRun) {
        this(window, interval, maxStaleness, tenantsPerRun, DEFAULT_FAILURE_BACKOFF_MAX);
    }
}
