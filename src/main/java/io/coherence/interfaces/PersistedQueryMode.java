package io.coherence.interfaces;

import java.util.Locale;

/** Strict runs registered documents only (the production default); dev runs any document. */
public enum PersistedQueryMode {
    STRICT, DEV;

    public static PersistedQueryMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("COHERENCE_PERSISTED_QUERIES must be strict or dev, not '" + value + "'");
        }
    }
}
