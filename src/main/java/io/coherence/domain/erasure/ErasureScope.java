package io.coherence.domain.erasure;

/**
 * What an erasure does to the subject's signals: {@link #DELETE} removes them; {@link #MINIMIZE}
 * keeps what the score needs (value, weight, ts, type) and removes or replaces everything that
 * identifies the subject (source, signal id, provenance id, request hash, origin).
 */
public enum ErasureScope {
    DELETE,
    MINIMIZE
}
