package io.coherence.interfaces.rest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

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
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CoherenceException(ErrorCode.MALFORMED_JSON, "the body is not valid UTF-8");
        }
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
