package io.coherence.application;

import jakarta.json.spi.JsonProvider;

/**
 * The JSON-P provider, looked up once for every layer: each {@code Json.create...} call looks it up
 * again (a service-loader search that cost 7 % of a read and 13 % of the ingest request threads in
 * JFR profiles at load). Use {@code Jsons.JSON.create...} instead of {@code Json.create...}.
 */
public final class Jsons {

    public static final JsonProvider JSON = JsonProvider.provider();

    private Jsons() {
    }
}
