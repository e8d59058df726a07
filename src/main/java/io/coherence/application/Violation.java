package io.coherence.application;

/**
 * One reason an input was refused: which item of a batch (null for a single input), which field,
 * a machine-readable code and a sentence for people.
 */
public record Violation(Integer index, String field, String code, String message) {
}
