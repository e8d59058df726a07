package io.coherence.application;

import java.util.List;

/** A refusal with a code. Its message is safe to show to the caller; it never carries internals. */
public class CoherenceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient List<Violation> violations;

    public CoherenceException(ErrorCode code, String message) {
        this(code, message, List.of(), null);
    }

    public CoherenceException(ErrorCode code, String message, List<Violation> violations) {
        this(code, message, violations, null);
    }

    public CoherenceException(ErrorCode code, String message, List<Violation> violations, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.violations = List.copyOf(violations);
    }

    public ErrorCode code() {
        return code;
    }

    public List<Violation> violations() {
        return violations;
    }
}
