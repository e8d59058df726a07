package io.coherence.interfaces;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The settings an operator may change while the server runs (a {@code configDropins} variable,
 * no restart): the {@code v24.coherence} feature flag, the persisted-query mode and whether the
 * workbench page is served ({@code COHERENCE_WORKBENCH_ENABLED}). Requests read
 * a snapshot; the snapshot is read again from MicroProfile Config once it is older than
 * {@code COHERENCE_SETTINGS_REFRESH} (default 1 s), by whichever request finds it old, so no
 * request pays for a configuration lookup and a change takes effect within that period. A value
 * that does not parse keeps the last good snapshot and is logged.
 */
@ApplicationScoped
public class RuntimeSettings {

    static final String FLAG = "v24.coherence";
    static final String MODE = "COHERENCE_PERSISTED_QUERIES";
    static final String REFRESH = "COHERENCE_SETTINGS_REFRESH";
    static final String WORKBENCH = "COHERENCE_WORKBENCH_ENABLED";
    private static final Logger LOG = Logger.getLogger(RuntimeSettings.class.getName());

    /** What requests see. */
    public record Snapshot(boolean apiEnabled, PersistedQueryMode persistedQueries, boolean workbenchEnabled) {

        /** The API settings, with the workbench off (its default). */
        public Snapshot(boolean apiEnabled, PersistedQueryMode persistedQueries) {
            this(apiEnabled, persistedQueries, false);
        }
    }

    private final Supplier<Snapshot> source;
    private final long refreshNanos;
    private volatile Snapshot current;
    private volatile long readAt;

    /** For CDI: MicroProfile Config. */
    public RuntimeSettings() {
        this(RuntimeSettings::fromConfig, ConfigProvider.getConfig()
                .getOptionalValue(REFRESH, Duration.class).orElse(Duration.ofSeconds(1)));
    }

    RuntimeSettings(Supplier<Snapshot> source, Duration refresh) {
        this.source = source;
        this.refreshNanos = refresh.toNanos();
        this.current = source.get();
        this.readAt = System.nanoTime();
    }

    /** Settings that never change (unit tests, tools). */
    public static RuntimeSettings fixed(Snapshot snapshot) {
        return new RuntimeSettings(() -> snapshot, Duration.ofDays(365));
    }

    /** Settings read from {@code source} every time (unit tests that change them). */
    public static RuntimeSettings live(Supplier<Snapshot> source) {
        return new RuntimeSettings(source, Duration.ZERO);
    }

    public Snapshot current() {
        long now = System.nanoTime();
        if (now - readAt >= refreshNanos) {
            readAt = now;
            try {
                current = source.get();
            } catch (IllegalArgumentException e) {
                LOG.warning(() -> "keeping the previous settings: " + e.getMessage());
            }
        }
        return current;
    }

    static Snapshot fromConfig() {
        Config config = ConfigProvider.getConfig();
        return new Snapshot(config.getOptionalValue(FLAG, Boolean.class).orElse(true),
                PersistedQueryMode.parse(config.getValue(MODE, String.class)),
                config.getOptionalValue(WORKBENCH, Boolean.class).orElse(false));
    }
}
