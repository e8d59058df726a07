package io.coherence.application.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DedupeRateTest {

    private Instant now = Instant.parse("2026-11-22T10:00:00Z");

    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void itIsTheShareOfDuplicatesInTheWindowAndForgetsWhatSlidOut() {
        DedupeRate rate = new DedupeRate(clock, Duration.ofMinutes(5), 30);
        assertThat(rate.rate()).isZero();

        rate.add(90, 10);
        now = now.plusSeconds(60);
        rate.add(50, 50);
        assertThat(rate.rate()).isEqualTo(60.0 / 200);

        now = now.plusSeconds(250);
        assertThat(rate.rate()).as("the first slot slid out").isEqualTo(0.5);
        now = now.plusSeconds(300);
        assertThat(rate.rate()).isZero();
    }
}
