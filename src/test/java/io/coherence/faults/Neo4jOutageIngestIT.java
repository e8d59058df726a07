package io.coherence.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.Eventually;
import io.coherence.testsupport.LibertyStackListener;
import io.coherence.testsupport.TestServerIT;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Fault 2 of the fault suite at test size: HTTP writers retrying with their Idempotency-Keys (as
 * the README tells clients to) while the test server's Neo4j is cut off and restored. Every
 * request ends acknowledged, every signal is stored once, and the materialized score is the
 * weighted mean of the distinct signals. (Kafka through a Neo4j outage: KafkaIngestIT.)
 */
@TestServerIT
class Neo4jOutageIngestIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private final CoherenceClient api = CoherenceClient.forTestServer();

    @Test
    void writesRetriedThroughANeo4jOutageAreAcknowledgedStoredOnceAndScoredOnce() throws InterruptedException {
        String tenant = "it-faults-" + UUID.randomUUID();
        Ledger ledger = new Ledger();
        Timeline timeline = new Timeline();
        HttpWriters writers = new HttpWriters(new ServiceClient(api.uri("/")), tenant,
                api.token(tenant, CoherenceClient.READ_WRITE), ledger, timeline, 5, 20);
        writers.start(3);
        Eventually.await("a first acknowledged write", WAIT, () -> timeline.count(Timeline.Kind.WRITE, Timeline.Outcome.OK) > 0);

        LibertyStackListener.neo4jGate().cut();
        Eventually.await("a write refused while Neo4j is cut off", WAIT,
                () -> timeline.count(Timeline.Kind.WRITE, Timeline.Outcome.ERROR) > 0);
        LibertyStackListener.neo4jGate().restore();
        long restored = System.nanoTime();
        Eventually.await("a write acknowledged after Neo4j is back", WAIT,
                () -> timeline.first(Timeline.Kind.WRITE, Timeline.Outcome.OK, restored).isPresent());
        writers.stopNewRequests();
        writers.retryUntil(System.nanoTime() + WAIT.toNanos());
        assertThat(writers.awaitSettled(System.nanoTime() + WAIT.toNanos() + TimeUnit.SECONDS.toNanos(30))).isTrue();

        EmbeddedEngines engines = EmbeddedEngines.shared();
        try (StoreInspector stores = new StoreInspector(engines.neo4jDriver(), engines.postgresDataSource())) {
            LedgerCheck.Account account = LedgerCheck.account(ledger.entries(tenant, "http"), stores.signals(tenant));
            // Cut off, a request still queued is withdrawn (STORE_UNAVAILABLE: not written) and one
            // already in a transaction is OUTCOME_UNKNOWN (may be written); which ones a run sees depends
            // on where the cut falls. Either way its retries end in one stored copy (below).
            assertThat(timeline.counts(Timeline.Kind.WRITE).keySet()).as("write answers")
                    .containsAnyOf("ERROR 503 STORE_UNAVAILABLE", "ERROR 503 OUTCOME_UNKNOWN");
            assertThat(account.acknowledged()).as("every request acknowledged in the end").isEqualTo(account.attempted());
            assertThat(account.lost()).isZero();
            assertThat(account.duplicated()).isZero();
            assertThat(account.indeterminate()).isZero();
            assertThat(account.unknown()).isZero();
            assertThat(account.valueMismatches()).isZero();
            StoreInspector.Versions versions = stores.versions(tenant);
            assertThat(versions.signal()).as("signal_version counts each signal once").isEqualTo(account.storedRows());
            assertThat(stores.emits(tenant)).isEqualTo(account.storedRows());

            BigDecimal expected = account.expectedScore();
            Eventually.await("the materialized score is " + expected, WAIT, () -> {
                Optional<BigDecimal> score = stores.score(tenant);
                return score.isPresent() && score.get().compareTo(expected) == 0;
            });
        }
    }
}
