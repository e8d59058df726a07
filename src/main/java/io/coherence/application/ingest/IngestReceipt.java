package io.coherence.application.ingest;

import java.util.List;

/** What an ingest request did, item by item, in request order. */
public record IngestReceipt(List<Item> items) {

    public record Item(String signalId, String provenanceId, String status) {
    }

    public long accepted() {
        return items.stream().filter(i -> i.status().equals("accepted")).count();
    }

    public long duplicates() {
        return items.size() - accepted();
    }
}
