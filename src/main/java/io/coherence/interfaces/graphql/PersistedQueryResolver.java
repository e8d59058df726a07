package io.coherence.interfaces.graphql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.coherence.application.ErrorCode;
import io.coherence.domain.provenance.Sha256;
import io.coherence.interfaces.PersistedQueryMode;
import io.coherence.interfaces.RuntimeSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Apollo's persisted-query protocol ({@code extensions.persistedQuery = {version: 1, sha256Hash}})
 * over the {@link PersistedQueryCatalog}, decided the same way for /graphql and for WebSocket
 * {@code subscribe}:
 * <ul>
 * <li>a hash alone runs the registered document with that hash; an unknown hash answers
 *     {@code PersistedQueryNotFound} / {@code PERSISTED_QUERY_NOT_FOUND} (what Apollo clients
 *     expect, HTTP 200);</li>
 * <li>a hash with a document must be the document's SHA-256 ({@code PERSISTED_QUERY_HASH_MISMATCH});</li>
 * <li>a document, with or without its hash, runs in {@link PersistedQueryMode#DEV}; in
 *     {@link PersistedQueryMode#STRICT} only when it is a registered one ({@code PERSISTED_QUERY_REQUIRED};
 *     introspection: {@code INTROSPECTION_DISABLED});</li>
 * <li>a registered entry past its sunset date is refused ({@code PERSISTED_QUERY_SUNSET}).</li>
 * </ul>
 * The catalog is the built-in registry ({@value PersistedQueryCatalog#RESOURCE}) plus an
 * operator's file ({@code COHERENCE_PERSISTED_QUERIES_FILE}), loaded when the application starts;
 * the mode comes from the {@link RuntimeSettings} snapshot, so an operator can open the API for
 * triage (ADR-002's rollback) without a restart.
 */
@ApplicationScoped
public class PersistedQueryResolver {

    static final String EXTRA_FILE = "COHERENCE_PERSISTED_QUERIES_FILE";
    /** The message Apollo clients look for before they retry with the document. */
    public static final String NOT_FOUND_MESSAGE = "PersistedQueryNotFound";
    private static final Logger LOG = Logger.getLogger(PersistedQueryResolver.class.getName());
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final int DEV_REMEMBERED = 10_000;

    /** What to do with a request. */
    public sealed interface Resolution permits Run, Refused {
    }

    /** Run {@code document}; {@code entry} is the registered one it came from, or null. */
    public record Run(String document, PersistedQueryCatalog.Entry entry) implements Resolution {
    }

    /** Answer with this error instead. */
    public record Refused(ErrorCode code, String message) implements Resolution {
    }

    private volatile PersistedQueryCatalog catalog;
    private final Supplier<PersistedQueryMode> modes;
    private final Clock clock;
    /** Dev mode: documents clients registered with hash + document, so their hash alone works next time. */
    private final Cache<String, String> remembered = Caffeine.newBuilder().maximumSize(DEV_REMEMBERED).build();

    @Inject
    RuntimeSettings settings;

    @Inject
    PreparedDocuments documents;

    /** For CDI: the catalog from the registries, the mode from the settings snapshot. */
    public PersistedQueryResolver() {
        this.catalog = null;
        this.modes = () -> settings.current().persistedQueries();
        this.clock = Clock.systemUTC();
    }

    private PersistedQueryResolver(PersistedQueryCatalog catalog, Supplier<PersistedQueryMode> modes, Clock clock) {
        this.catalog = catalog;
        this.modes = modes;
        this.clock = clock;
    }

    /** A resolver outside CDI (unit tests, tools): this catalog, the mode from {@code modes}. */
    public static PersistedQueryResolver of(PersistedQueryCatalog catalog, Supplier<PersistedQueryMode> modes, Clock clock) {
        return new PersistedQueryResolver(catalog, modes, clock);
    }

    /** Loads and checks the catalog and prepares every registered document, before the first request. */
    void load(@Observes Startup startup) {
        PersistedQueryCatalog loaded = catalog();
        loaded.entries().forEach(e -> documents.pin(e.document()).refusal(null));
        LOG.info(() -> "persisted queries: " + loaded.entries().size() + " registered and prepared, mode " + mode());
    }

    public PersistedQueryMode mode() {
        return modes.get();
    }

    public PersistedQueryCatalog catalog() {
        PersistedQueryCatalog c = catalog;
        if (c == null) {
            synchronized (this) {
                if (catalog == null) {
                    catalog = read(ConfigProvider.getConfig().getOptionalValue(EXTRA_FILE, String.class));
                }
                c = catalog;
            }
        }
        return c;
    }

    /**
     * Decides a request.
     *
     * @param query          the request's {@code query}, or null
     * @param persistedQuery the request's {@code extensions.persistedQuery}, or null
     * @return null when the request has neither, so whoever runs GraphQL answers it
     */
    public Resolution resolve(String query, JsonValue persistedQuery) {
        return resolve(query, persistedQuery, mode(), LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    }

    /** The decision for this mode, with sunsets compared with {@code today} (UTC). */
    public Resolution resolve(String query, JsonValue persistedQuery, PersistedQueryMode mode, LocalDate today) {
        String hash = null;
        if (persistedQuery != null) {
            if (!(persistedQuery instanceof JsonObject pq) || !(pq.get("version") instanceof JsonNumber version)
                    || !version.isIntegral() || version.intValue() != 1) {
                return new Refused(ErrorCode.PERSISTED_QUERY_INVALID,
                        "extensions.persistedQuery must be {\"version\": 1, \"sha256Hash\": \"<64 hex digits>\"}");
            }
            if (!(pq.get("sha256Hash") instanceof JsonString h) || !HASH.matcher(h.getString()).matches()) {
                return new Refused(ErrorCode.PERSISTED_QUERY_INVALID,
                        "extensions.persistedQuery.sha256Hash must be 64 lowercase hex digits");
            }
            hash = h.getString();
            if (query == null) {
                return byHash(hash, mode, today);
            }
        }
        if (query == null) {
            return null;
        }
        String actual = Sha256.hex(query);
        if (hash != null && !hash.equals(actual)) {
            return new Refused(ErrorCode.PERSISTED_QUERY_HASH_MISMATCH,
                    "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query");
        }
        PersistedQueryCatalog.Entry entry = catalog().find(actual);
        if (entry != null) {
            return current(entry, today);
        }
        if (mode == PersistedQueryMode.DEV) {
            if (hash != null) {
                remembered.put(hash, query);
            }
            return new Run(query, null);
        }
        if (ApiSchema.mightBeIntrospection(query)) {
            return new Refused(ErrorCode.INTROSPECTION_DISABLED,
                    "introspection is off: this server runs persisted queries only (strict mode)");
        }
        return new Refused(ErrorCode.PERSISTED_QUERY_REQUIRED,
                "this server runs persisted queries only: send extensions.persistedQuery.sha256Hash of a registered document");
    }

    private Resolution byHash(String hash, PersistedQueryMode mode, LocalDate today) {
        PersistedQueryCatalog.Entry entry = catalog().find(hash);
        if (entry != null) {
            return current(entry, today);
        }
        String document = mode == PersistedQueryMode.DEV ? remembered.getIfPresent(hash) : null;
        if (document != null) {
            return new Run(document, null);
        }
        return new Refused(ErrorCode.PERSISTED_QUERY_NOT_FOUND, NOT_FOUND_MESSAGE);
    }

    private static Resolution current(PersistedQueryCatalog.Entry entry, LocalDate today) {
        if (entry.sunset() != null && !today.isBefore(entry.sunset())) {
            return new Refused(ErrorCode.PERSISTED_QUERY_SUNSET, entry.id() + " was retired on " + entry.sunset()
                    + (entry.successor() == null ? "" : "; use " + entry.successor()));
        }
        return new Run(entry.document(), entry);
    }

    /** The built-in registry and, when given, an operator's file, checked. */
    public static PersistedQueryCatalog read(Optional<String> extraFile) {
        Map<String, Reader> registries = new LinkedHashMap<>();
        InputStream builtIn = PersistedQueryResolver.class.getClassLoader().getResourceAsStream(PersistedQueryCatalog.RESOURCE);
        if (builtIn == null) {
            throw new IllegalStateException(PersistedQueryCatalog.RESOURCE + " is missing from the application");
        }
        try {
            registries.put(PersistedQueryCatalog.RESOURCE, new InputStreamReader(builtIn, StandardCharsets.UTF_8));
            if (extraFile.isPresent()) {
                registries.put(extraFile.get(), Files.newBufferedReader(Path.of(extraFile.get()), StandardCharsets.UTF_8));
            }
            return PersistedQueryCatalog.load(ApiSchema.get(), registries);
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
