package io.coherence.interfaces;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.interfaces.RuntimeSettings.Snapshot;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RuntimeSettingsTest {

    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicReference<String> mode = new AtomicReference<>("strict");

    private Snapshot read() {
        reads.incrementAndGet();
        return new Snapshot(true, PersistedQueryMode.parse(mode.get()));
    }

    @Test
    void requestsWithinThePeriodReadTheSnapshotNotTheConfiguration() {
        RuntimeSettings settings = new RuntimeSettings(this::read, Duration.ofHours(1));
        for (int i = 0; i < 1_000; i++) {
            settings.current();
        }
        assertThat(reads).hasValue(1);
    }

    @Test
    void aChangeIsSeenOnceThePeriodIsOver() {
        RuntimeSettings settings = new RuntimeSettings(this::read, Duration.ZERO);
        mode.set("dev");
        assertThat(settings.current().persistedQueries()).isEqualTo(PersistedQueryMode.DEV);
    }

    @Test
    void aValueThatDoesNotParseKeepsTheLastGoodSnapshot() {
        RuntimeSettings settings = new RuntimeSettings(this::read, Duration.ZERO);
        mode.set("open");
        assertThat(settings.current().persistedQueries()).isEqualTo(PersistedQueryMode.STRICT);
        mode.set("dev");
        assertThat(settings.current().persistedQueries()).isEqualTo(PersistedQueryMode.DEV);
    }
}
