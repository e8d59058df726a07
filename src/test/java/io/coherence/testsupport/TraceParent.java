package io.coherence.testsupport;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** W3C trace context for a test's request: a fresh trace id, and the sampled {@code traceparent} that continues it. */
public final class TraceParent {

    private TraceParent() {
    }

    /** 32 lowercase hex digits, never all zeros. */
    public static String newTraceId() {
        return randomHex(16);
    }

    /** {@code traceparent} for a sampled span of this trace (W3C Trace Context, version 00). */
    public static String header(String traceId) {
        return "00-" + traceId + "-" + randomHex(8) + "-01";
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1;
        return HexFormat.of().formatHex(b);
    }
}
