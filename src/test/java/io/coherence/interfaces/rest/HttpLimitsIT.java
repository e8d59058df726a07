package io.coherence.interfaces.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.TestServerIT;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The HTTP limits set in server.xml and the application's own body bounds, on the real server. */
@TestServerIT
class HttpLimitsIT {

    private final CoherenceClient api = CoherenceClient.forTestServer();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aHeaderOverTheFieldLimitIsRefused() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(api.uri("/graphql"))
                .header("X-Padding", "a".repeat(20_000)).GET().build());

        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void moreHeadersThanTheLimitAreRefused() throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri("/health/ready")).GET();
        for (int i = 0; i < 120; i++) {
            request.header("X-H" + i, "v");
        }

        assertThat(send(request.build()).statusCode()).isEqualTo(400);
    }

    @Test
    void aGraphqlBodyOverItsLimitAnswers413WithACodeAndIsNotRun() throws Exception {
        String body = "{\"query\":\"{ __typename }\",\"pad\":\"" + "x".repeat(300_000) + "\"}";

        HttpResponse<String> response = send(HttpRequest.newBuilder(api.uri("/graphql"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(CoherenceClient.json(response.body()).getJsonArray("errors").getJsonObject(0)
                .getJsonObject("extensions").getString("code")).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void headersWithinTheLimitsPass() throws Exception {
        assertThat(send(HttpRequest.newBuilder(api.uri("/health/ready")).header("X-Padding", "a".repeat(8_000))
                .GET().build()).statusCode()).isEqualTo(200);
        assertThat(api.get("/health/live").statusCode()).isEqualTo(200);
    }
}
