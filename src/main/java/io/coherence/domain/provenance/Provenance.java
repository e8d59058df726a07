package io.coherence.domain.provenance;

import io.coherence.domain.tenant.PolicyTags;
import java.util.Objects;

/**
 * Where a signal came from: an immutable provenance id, the SHA-256 of the canonical request
 * that carried it, the channel it arrived on (http, graphql, kafka), for a stream channel the
 * record it was read from ({@code topic/partition@offset}, otherwise null), and its policy tags.
 */
public record Provenance(String provenanceId, String requestHash, String channel, String origin, PolicyTags tags) {

    public Provenance {
        Objects.requireNonNull(provenanceId, "provenanceId");
        Objects.requireNonNull(requestHash, "requestHash");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(tags, "tags");
    }

    /** A request's provenance: it has no origin record. */
    public Provenance(String provenanceId, String requestHash, String channel, PolicyTags tags) {
        this(provenanceId, requestHash, channel, null, tags);
    }
}
