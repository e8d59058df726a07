package io.coherence.domain.provenance;

import java.util.Objects;

/**
 * Where a signal came from: an immutable provenance id, the SHA-256 of the canonical request
 * that carried it, the channel it arrived on (http, graphql, kafka) and its policy tags.
 */
public record Provenance(String provenanceId, String requestHash, String channel, PolicyTags tags) {

    public Provenance {
        Objects.requireNonNull(provenanceId, "provenanceId");
        Objects.requireNonNull(requestHash, "requestHash");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(tags, "tags");
    }
}
