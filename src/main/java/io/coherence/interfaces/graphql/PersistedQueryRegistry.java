package io.coherence.interfaces.graphql;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The application's persisted queries: the built-in registry ({@value PersistedQueries#RESOURCE})
 * plus an operator's file ({@code COHERENCE_PERSISTED_QUERIES_FILE}), loaded and checked when the
 * application starts, so a wrong hash or a document the schema rejects stops the deployment. The
 * mode ({@code COHERENCE_PERSISTED_QUERIES}: strict or dev) is read on every request, so an
 * operator can open the API for triage (ADR-002's rollback) without a restart.
 */
@ApplicationScoped
public class PersistedQueryRegistry {

    static final String MODE = "COHERENCE_PERSISTED_QUERIES";
    static final String EXTRA_FILE = "COHERENCE_PERSISTED_QUERIES_FILE";
    private static final Logger LOG = Logger.getLogger(PersistedQueryRegistry.class.getName());

    private volatile PersistedQueries queries;
    private final Supplier<PersistedQueries.Mode> modes;

    public PersistedQueryRegistry() {
        this(null, () -> PersistedQueries.Mode.parse(ConfigProvider.getConfig().getValue(MODE, String.class)));
    }

    private PersistedQueryRegistry(PersistedQueries queries, Supplier<PersistedQueries.Mode> modes) {
        this.queries = queries;
        this.modes = modes;
    }

    /** A registry outside CDI (unit tests, tools): these queries, the mode from {@code modes}. */
    public static PersistedQueryRegistry of(PersistedQueries queries, Supplier<PersistedQueries.Mode> modes) {
        return new PersistedQueryRegistry(queries, modes);
    }

    void load(@Observes Startup startup) {
        PersistedQueries loaded = queries();
        LOG.info(() -> "persisted queries: " + loaded.entries().size() + " registered, mode " + mode());
    }

    public PersistedQueries.Resolution resolve(String query, JsonValue persistedQuery) {
        return queries().resolve(query, persistedQuery, mode(), LocalDate.now(ZoneOffset.UTC));
    }

    public PersistedQueries.Mode mode() {
        return modes.get();
    }

    private PersistedQueries queries() {
        PersistedQueries q = queries;
        if (q == null) {
            synchronized (this) {
                if (queries == null) {
                    queries = read(ConfigProvider.getConfig().getOptionalValue(EXTRA_FILE, String.class));
                }
                q = queries;
            }
        }
        return q;
    }

    /** The built-in registry and, when given, an operator's file, checked. */
    public static PersistedQueries read(Optional<String> extraFile) {
        Map<String, Reader> registries = new LinkedHashMap<>();
        InputStream builtIn = PersistedQueryRegistry.class.getClassLoader().getResourceAsStream(PersistedQueries.RESOURCE);
        if (builtIn == null) {
            throw new IllegalStateException(PersistedQueries.RESOURCE + " is missing from the application");
        }
        try {
            registries.put(PersistedQueries.RESOURCE, new InputStreamReader(builtIn, StandardCharsets.UTF_8));
            if (extraFile.isPresent()) {
                registries.put(extraFile.get(), Files.newBufferedReader(Path.of(extraFile.get()), StandardCharsets.UTF_8));
            }
            return PersistedQueries.load(ApiSchema.get(), registries);
        } catch (IOException e) {
            throw new UncheckedIOException(EXTRA_FILE + " cannot be read: " + e.getMessage(), e);
        } finally {
            for (Reader r : registries.values()) {
                try {
                    r.close();
                } catch (IOException e) {
                    LOG.fine(() -> "closing a registry failed: " + e.getMessage());
                }
            }
        }
    }
}
