package io.coherence.application.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.provenance.Provenance;
import io.coherence.domain.score.WindowTotals;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalIdentity;
import io.coherence.domain.signal.SignalRepository;
import io.coherence.domain.signal.WriteOutcome;
import io.coherence.domain.tenant.PolicyTags;
import io.coherence.domain.tenant.TenantId;
import io.coherence.infrastructure.neo4j.Neo4jSignalRepository;
import io.coherence.testsupport.EmbeddedEngines;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Values;

/** Group commit over the real Neo4j adapter: concurrent requests share transactions, and lose nothing. */
class GroupCommitIT {

    private static final PolicyTags TAGS = new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US");
    private static final int REQUESTS = 40;
    private static final int SIGNALS_PER_REQUEST = 25;

    private static Driver driver;

    @BeforeAll
    static void connect() {
        driver = EmbeddedEngines.shared().neo4jDriver();
    }

    @AfterAll
    static void disconnect() {
        driver.close();
    }

    @Test
    void concurrentRequestsShareTransactionsAndEverySignalIsCommittedOnce() throws Exception {
        TenantId tenant = TenantId.of("it-group-" + UUID.randomUUID());
        CountingRepository repository = new CountingRepository(new Neo4jSignalRepository(driver));
        WriterSettings settings = new WriterSettings(5000, Duration.ofMillis(50), 1, Duration.ofSeconds(30), 1000);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(REQUESTS);
        try (GroupCommitWriter writer = new GroupCommitWriter(repository, settings)) {
            List<Future<List<WriteOutcome>>> answers = new ArrayList<>();
            for (int r = 0; r < REQUESTS; r++) {
                List<Signal> request = request(tenant, r);
                answers.add(callers.submit(() -> {
                    start.await();
                    return writer.write(request);
                }));
            }
            start.countDown();
            for (Future<List<WriteOutcome>> answer : answers) {
                assertThat(answer.get()).hasSize(SIGNALS_PER_REQUEST)
                        .allMatch(o -> o.status() == WriteOutcome.Status.ACCEPTED);
            }
        } finally {
            callers.shutdownNow();
        }

        assertThat(repository.transactions.get()).isBetween(1, REQUESTS - 1);
        try (var session = driver.session()) {
            long stored = session.run("MATCH (:Tenant {tenant_id: $t})-[:EMITS]->(s:Signal) RETURN count(s) AS n",
                    Values.parameters("t", tenant.value())).single().get("n").asLong();
            assertThat(stored).isEqualTo((long) REQUESTS * SIGNALS_PER_REQUEST);
        }
    }

    private static List<Signal> request(TenantId tenant, int r) {
        Instant ts = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Signal> signals = new ArrayList<>();
        for (int i = 0; i < SIGNALS_PER_REQUEST; i++) {
            String id = "r" + r + "-s" + i;
            signals.add(new Signal(new SignalIdentity(tenant, "group-it", id, ts), "t", 0.5, 1.0,
                    new Provenance(UUID.randomUUID().toString(), "hash-" + id, "http", TAGS)));
        }
        return signals;
    }

    /** Counts the transactions (saveAll calls) the writer opens. */
    private static final class CountingRepository implements SignalRepository {

        final AtomicInteger transactions = new AtomicInteger();
        private final SignalRepository delegate;

        CountingRepository(SignalRepository delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<WriteOutcome> saveAll(List<Signal> signals) {
            transactions.incrementAndGet();
            return delegate.saveAll(signals);
        }

        @Override
        public WindowTotals windowTotals(TenantId tenant, Instant from) {
            return delegate.windowTotals(tenant, from);
        }
    }
}
