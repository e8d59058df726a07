package io.coherence.infrastructure.config;

import io.coherence.application.erasure.ErasureSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;

/** The erasure worker's settings (COHERENCE_ERASURE_*, docs/configuration.md). */
@ApplicationScoped
public class ErasureConfig {

    @Inject
    Config config;

    @Produces
    @Singleton
    public ErasureSettings erasure() {
        return new ErasureSettings(
                config.getValue("COHERENCE_ERASURE_BATCH", Integer.class),
                duration("COHERENCE_ERASURE_LEASE"),
                duration("COHERENCE_ERASURE_RETRY"),
                config.getValue("COHERENCE_ERASURE_MAX_ATTEMPTS", Integer.class),
                duration("COHERENCE_ERASURE_SCORE_WAIT"),
                duration("COHERENCE_ERASURE_EVENT_SETTLE"));
    }

    private Duration duration(String key) {
        return Duration.parse(config.getValue(key, String.class));
    }
}
