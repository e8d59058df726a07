package io.coherence.interfaces.rest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.ingest.SignalJson;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body as UTF-8, refusing it (413) as soon as it exceeds the limit. */
final class BoundedBody {

    private BoundedBody() {
    }

    static String read(InputStream in, String contentLength, long limit) {
        if (contentLength != null && parseLength(contentLength) > limit) {
            throw tooLarge(limit);
        }
        byte[] bytes;
        try {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        } catch (IOException e) {
            throw new CoherenceException(ErrorCode.MALFORMED_JSON, "the body could not be read");
        }
        if (bytes.length > limit) {
            throw tooLarge(limit);
        }
        return SignalJson.utf8(bytes, "the body");
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static CoherenceException tooLarge(long limit) {
        return new CoherenceException(ErrorCode.PAYLOAD_TOO_LARGE, "the body exceeds " + limit + " bytes");
    }
}
