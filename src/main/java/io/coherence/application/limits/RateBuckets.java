package io.coherence.application.limits;

/** Where token buckets live: in this process, or in Redis where every replica shares them. */
public interface RateBuckets {

    /** Takes {@code tokens} from the bucket {@code key} (created full with {@code limit}) if it holds them. */
    Admission take(String key, RateLimit limit, long tokens);
}
