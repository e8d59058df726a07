package io.coherence.application.limits;

/**
 * A token bucket: {@code perSecond} tokens refill each second, up to {@code burst}. A rate of 0
 * switches the limit off.
 */
public record RateLimit(long perSecond, long burst) {

    public static final RateLimit OFF = new RateLimit(0, 0);

    public RateLimit {
        if (perSecond < 0 || burst < 0 || perSecond > 0 && burst < 1) {
            throw new IllegalArgumentException("a rate limit needs perSecond >= 0 and, when on, a burst >= 1");
        }
    }

    public boolean off() {
        return perSecond == 0;
    }

    /** Part of every bucket's key, so that changed limits start fresh buckets. */
    String signature() {
        return perSecond + "/" + burst;
    }
}
