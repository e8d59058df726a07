package io.coherence.testsupport;

import io.coherence.interfaces.graphql.PersistedQueryCatalog;
import io.coherence.interfaces.graphql.PersistedQueryResolver;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The persisted queries the test server knows, by id: the built-in registry plus the operator
 * registry the test server is given ({@link LibertyStackListener#RETIRING_QUERIES}). Tests send
 * these documents, or their hashes, exactly as registered.
 */
public final class PersistedDocuments {

    private static final PersistedQueryCatalog KNOWN = load();

    private PersistedDocuments() {
    }

    public static PersistedQueryCatalog.Entry byId(String id) {
        return KNOWN.entries().stream().filter(e -> e.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no persisted query " + id));
    }

    public static String document(String id) {
        return byId(id).document();
    }

    public static String hash(String id) {
        return byId(id).sha256();
    }

    private static PersistedQueryCatalog load() {
        try {
            return PersistedQueryResolver.read(Optional.of(
                    Path.of(PersistedDocuments.class.getResource(LibertyStackListener.RETIRING_QUERIES).toURI()).toString()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
