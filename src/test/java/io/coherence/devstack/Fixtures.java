package io.coherence.devstack;

import io.coherence.testsupport.TokenMinter;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * The seed's fixtures: ten tenants, each with 1,000 signals spread over the last 24 hours, pushed
 * through the real ingest endpoint. Each tenant has its own typical value, so scores differ.
 */
final class Fixtures {

    static final List<String> TENANTS = List.of("tenant-123", "tenant-101", "tenant-102", "tenant-103",
            "tenant-104", "tenant-105", "tenant-106", "tenant-107", "tenant-108", "tenant-109");
    static final int SIGNALS_PER_TENANT = 1000;
    private static final List<String> TYPES = List.of("latency", "consistency", "freshness", "agreement");

    private Fixtures() {
    }

    static void load(URI ingestUrl, TokenMinter minter) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Instant now = Instant.now();
        for (int t = 0; t < TENANTS.size(); t++) {
            String tenant = TENANTS.get(t);
            Random random = new Random(t);
            double typical = 0.35 + 0.6 * t / (TENANTS.size() - 1);
            if (t == 0) {
                typical = 0.82;
            }
            JsonArrayBuilder batch = Json.createArrayBuilder();
            for (int i = 0; i < SIGNALS_PER_TENANT; i++) {
                Instant ts = now.minusSeconds(60).minusMillis((long) (random.nextDouble() * Duration.ofHours(23).toMillis()));
                double value = Math.max(0, Math.min(1, typical + random.nextGaussian() * 0.1));
                batch.add(Json.createObjectBuilder()
                        .add("tenantId", tenant)
                        .add("type", TYPES.get(i % TYPES.size()))
                        .add("value", Math.round(value * 1000) / 1000.0)
                        .add("weight", 1 + random.nextInt(3))
                        .add("source", "fixtures")
                        .add("signalId", "fixture-" + i)
                        .add("ts", ts.toString()));
            }
            String token = minter.mint(tenant, List.of("coherence:write"), Duration.ofMinutes(5));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(ingestUrl)
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(batch.build().toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                throw new IllegalStateException("loading fixtures for " + tenant + " failed: "
                        + response.statusCode() + " " + response.body());
            }
        }
    }
}
