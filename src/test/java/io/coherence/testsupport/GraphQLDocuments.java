package io.coherence.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The GraphQL documents tests send, kept as files under src/test/resources/graphql. */
public final class GraphQLDocuments {

    private GraphQLDocuments() {
    }

    public static String load(String file) {
        try (InputStream in = GraphQLDocuments.class.getResourceAsStream("/graphql/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no GraphQL document " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
