package io.coherence.application.scoring;

import java.time.Duration;

/**
 * Materializer knobs: the scoring {@code window} (24 h), how often it runs ({@code interval}),
 * how old a score may get before it is recomputed even without new signals
 * ({@code maxStaleness}, so signals ageing out of the window are reflected), and how many tenants
 * one run handles at most ({@code tenantsPerRun}).
 */
public record ScoringSettings(Duration window, Duration interval, Duration maxStaleness, int tenantsPerRun) {
}
