package io.coherence.application;

/**
 * The rules every free-text field a client sends meets (signal fields, data-policy tags, erasure
 * subjects), as Bean Validation patterns, so they are written once.
 */
public final class TextRules {

    /** No control, format (e.g. bidi overrides, zero-width) or unpaired surrogate characters. */
    public static final String PRINTABLE = "[^\\p{Cc}\\p{Cf}\\p{Cs}\\p{Zl}\\p{Zp}]*";
    /**
     * No leading or trailing (Unicode) whitespace. All-ASCII-blank values are left to
     * {@code @NotBlank}, so they report REQUIRED rather than twice.
     */
    public static final String TRIMMED = "(?U)\\S(.*\\S)?|[ \\t\\n\\r\\f\\x0B]*";
    public static final int MAX_TEXT = 128;

    private TextRules() {
    }
}
