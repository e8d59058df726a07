package io.coherence.domain.erasure;

import io.coherence.domain.provenance.Sha256;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whose data an erasure removes: a signal {@code source} of the tenant (a device, a user, a
 * probe), or {@link #WHOLE_TENANT} ({@code *}) for all of the tenant's signals (off-boarding). A
 * source follows the rules a signal's source follows at ingest: 1 to 128 characters, no control,
 * formatting or separator characters, no leading or trailing whitespace. A source cannot be
 * {@code *} itself, so the two never mix.
 */
public record ErasureSubject(String value) {

    public static final String WHOLE_TENANT = "*";
    public static final int MAX_LENGTH = 128;

    private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cc}\\p{Cf}\\p{Cs}\\p{Zl}\\p{Zp}]*");
    private static final Pattern TRIMMED = Pattern.compile("(?U)\\S(.*\\S)?");

    /** Why a text is not a subject: REQUIRED, TOO_LONG or NOT_PRINTABLE; empty when it is one. */
    public static Optional<String> violation(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of("REQUIRED");
        }
        if (text.length() > MAX_LENGTH) {
            return Optional.of("TOO_LONG");
        }
        if (!PRINTABLE.matcher(text).matches() || !TRIMMED.matcher(text).matches()) {
            return Optional.of("NOT_PRINTABLE");
        }
        return Optional.empty();
    }

    public ErasureSubject {
        violation(value).ifPresent(code -> {
            throw new IllegalArgumentException("not an erasure subject: " + code);
        });
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
