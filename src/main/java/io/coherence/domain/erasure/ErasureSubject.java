package io.coherence.domain.erasure;

import io.coherence.domain.provenance.Sha256;
import java.util.Objects;

/**
 * Whose data an erasure removes: a signal {@code source} of the tenant (a device, a user, a
 * probe), or {@link #WHOLE_TENANT} ({@code *}) for all of the tenant's signals (off-boarding). A
 * request's subject meets the text rules of a signal's source (checked where requests come in).
 * {@code *} always means the whole tenant: a source literally named {@code *} goes only with it.
 */
public record ErasureSubject(String value) {

    public static final String WHOLE_TENANT = "*";

    public ErasureSubject {
        Objects.requireNonNull(value, "subject");
        if (value.isBlank()) {
            throw new IllegalArgumentException("an erasure subject must not be blank");
        }
    }

    public boolean wholeTenant() {
        return WHOLE_TENANT.equals(value);
    }

    /**
     * The SHA-256 of the subject (lower-case hex of its UTF-8 bytes): what the audit package and a
     * finished request keep instead of the subject. Whoever knows the subject can check it.
     */
    public String sha256() {
        return Sha256.hex(value);
    }
}
