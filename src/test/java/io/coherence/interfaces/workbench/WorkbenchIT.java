package io.coherence.interfaces.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.TestServerIT;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The workbench page and its files as the test server (workbench on) serves them: each with the
 * content security policy, the page never cached, no token needed. Off by setting: WorkbenchFilterTest.
 */
@TestServerIT
class WorkbenchIT {

    private final CoherenceClient api = CoherenceClient.forTestServer();

    private static void servedWithThePolicy(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Security-Policy")).as(response.uri().toString())
                .hasValue(WorkbenchFilter.CONTENT_SECURITY_POLICY);
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }

    @Test
    void thePageIsServedWithoutATokenWithItsPolicyAndNeverStored() {
        HttpResponse<String> page = api.get("/workbench/");

        servedWithThePolicy(page);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.body()).contains("<title>Coherence workbench");
    }

    @Test
    void withoutTheSlashTheBrowserIsSentToThePage() {
        HttpResponse<String> response = api.get("/workbench");

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/workbench/"));
    }

    /** The built page (not the page saying it was not built) links its script and styles relatively. */
    @Test
    void theFilesThePageLinksAreServedWithThePolicyToo() {
        String page = api.get("/workbench/").body();
        Matcher linked = Pattern.compile("(?:src|href)=\"\\./([^\"]+)\"").matcher(page);
        int files = 0;
        while (linked.find()) {
            HttpResponse<String> file = api.get("/workbench/" + linked.group(1));
            servedWithThePolicy(file);
            assertThat(file.headers().firstValue("Cache-Control")).hasValue("no-cache");
            files++;
        }
        assertThat(files).as("files linked from the page (main.js, main.css)").isEqualTo(2);
        servedWithThePolicy(api.get("/workbench/workers/graphql.worker.js"));
    }

    @Test
    void aFileThatIsNotThereIsTheApisNotFoundDocument() {
        HttpResponse<String> response = api.get("/workbench/nothing-here.js");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(CoherenceClient.json(response.body()).getJsonObject("error").getString("code")).isEqualTo("NOT_FOUND");
    }

    /** server.xml: text/* compressed for a client that accepts it (scripts are text/javascript); JSON never. */
    @Test
    void scriptsAndStylesAreCompressedForAClientThatAcceptsItAndTheApisJsonIsNot() throws Exception {
        for (String file : new String[] {"main.js", "main.css", "workers/graphql.worker.js"}) {
            HttpResponse<byte[]> gzip = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    api.uri("/workbench/" + file)).header("Accept-Encoding", "gzip").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(gzip.headers().firstValue("Content-Encoding")).as(file).hasValue("gzip");
            byte[] plain = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzip.body())).readAllBytes();
            assertThat(new String(plain, java.nio.charset.StandardCharsets.UTF_8)).as(file)
                    .isEqualTo(api.get("/workbench/" + file).body());
        }
        assertThat(api.get("/workbench/main.js").headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/javascript"));
        String token = api.token("it-workbench-gzip-" + java.util.UUID.randomUUID(), CoherenceClient.READ_WRITE);
        HttpResponse<String> json = api.send(HttpRequest.newBuilder(api.uri("/graphql"))
                .header("Accept-Encoding", "gzip").header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ __schema { types { name description } } }\"}"))
                .build());
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.body().length()).as("big enough to be compressed if it were eligible").isGreaterThan(2048);
        assertThat(json.headers().firstValue("Content-Encoding")).isEmpty();
    }
}
