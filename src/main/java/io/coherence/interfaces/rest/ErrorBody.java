package io.coherence.interfaces.rest;

import io.coherence.application.Violation;
import java.util.List;

/** Every error answer: {"error": {"code", "message", "details": [{index, field, code, message}]}}. */
public record ErrorBody(Error error) {

    public record Error(String code, String message, List<Violation> details) {
    }

    static ErrorBody of(String code, String message, List<Violation> details) {
        return new ErrorBody(new Error(code, message, details));
    }
}
