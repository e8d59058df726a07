package io.coherence.application.erasure;

import java.util.UUID;

/** A CDI event: a request was queued, so a worker may start now instead of at its next tick. */
public record ErasureQueued(UUID id) {
}
