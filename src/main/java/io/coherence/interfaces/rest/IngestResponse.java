package io.coherence.interfaces.rest;

import io.coherence.application.ingest.IngestReceipt;
import java.util.List;

/** The 202 body: counts, then one entry per submitted signal in request order. */
public record IngestResponse(long accepted, long duplicates, List<IngestReceipt.Item> items) {

    static IngestResponse of(IngestReceipt receipt) {
        return new IngestResponse(receipt.accepted(), receipt.duplicates(), receipt.items());
    }
}
