package io.coherence.faults;

import io.coherence.testsupport.KafkaTestClient;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One fault under load: writers, a Kafka producer, readers and a listener on the event bridge
 * run while the fault is injected and removed; then the clients settle, the stores are checked
 * against the ledger, every tenant's provenance ledger is verified against its stored signals, and
 * the recovery is measured from the timeline.
 */
final class FaultRun {

    private static final Duration KAFKA_DRAIN = Duration.ofSeconds(60);

    private final FaultStack stack;
    private final ServiceClient client;
    private final SuiteSettings settings;
    private final String runId;
    private final PrintStream log;
    private long t0;

    FaultRun(FaultStack stack, SuiteSettings settings, String runId, PrintStream log) {
        this.stack = stack;
        this.client = new ServiceClient(stack.base());
        this.settings = settings;
        this.runId = runId;
        this.log = log;
    }

    FaultResult run(Fault fault) throws Exception {
        t0 = System.nanoTime();
        String httpTenant = "faults-" + runId + "-f" + fault.number + "-http";
        String kafkaTenant = "faults-" + runId + "-f" + fault.number + "-kafka";
        String httpToken = stack.token(httpTenant);
        String kafkaToken = stack.token(kafkaTenant);
        Ledger ledger = new Ledger();
        Timeline timeline = new Timeline();
        Map<String, Double> metricsBefore = Metrics.parse(client.metrics());
        List<String> notes = new ArrayList<>();
        log("fault " + fault.number + ": " + fault.title);
        try (StoreInspector stores = stack.inspector();
             BridgeListener bridge = new BridgeListener(stack.redisUrl(), Set.of(httpTenant, kafkaTenant), timeline);
             KafkaTestClient offsets = new KafkaTestClient(stack.kafkaBootstrap())) {
            HttpWriters writers = new HttpWriters(client, httpTenant, httpToken, ledger, timeline, settings.batch(),
                    settings.writeRate());
            KafkaLoad kafka = new KafkaLoad(stack.kafkaBootstrap(), kafkaTenant, kafkaToken, ledger, timeline,
                    settings.kafkaBatch(), settings.kafkaRate());
            Readers readers = new Readers(client, List.of(httpTenant, kafkaTenant), List.of(httpToken, kafkaToken),
                    timeline, settings.readRate());
            writers.start(settings.writers());
            kafka.start();
            readers.start(settings.readers());
            // The fault must hit a server that is taking writes, not one still warming up.
            awaitUntil(Duration.ofSeconds(60), () -> timeline.first(Timeline.Kind.WRITE, Timeline.Outcome.OK, t0).isPresent());
            pause(settings.before());

            long outageStart = System.nanoTime();
            double restart = 0;
            switch (fault) {
                case LIBERTY_KILL -> {
                    stack.killLiberty();
                    log("Liberty killed (SIGKILL); starting it again on the same engines");
                    restart = restartLiberty();
                }
                case CONSUMER_KILL -> restart = new ConsumerKill(stack, stores, offsets, kafka, kafkaTenant, this::log)
                        .run(notes, this::restartLiberty);
                default -> {
                    stack.gate(fault.store).cut();
                    log(fault.store + " cut off for " + settings.outage().toSeconds() + " s");
                    pause(settings.outage());
                    stack.gate(fault.store).restore();
                    log(fault.store + " reachable again");
                }
            }
            long restoreAt = System.nanoTime();
            long deadline = restoreAt + settings.retryWindow().toNanos();
            writers.retryUntil(deadline);
            // It watches as long as the run's own checks may wait, so a late catch-up is still timed.
            RecoveryMonitor monitor = RecoveryMonitor.start(stores, httpTenant, kafkaTenant,
                    kafka.signalsAckedBy(restoreAt), deadline + KAFKA_DRAIN.plus(settings.retryWindow().multipliedBy(2)).toNanos());
            pause(settings.after());

            writers.stopNewRequests();
            readers.stop();
            kafka.stop();
            log("load stopped; waiting for retries to settle (at most until +" + settings.retryWindow().toSeconds()
                    + " s after the return)");
            if (!writers.awaitSettled(deadline + TimeUnit.SECONDS.toNanos(45))) {
                notes.add("some writers had not settled by the deadline");
            }
            long ackedKafka = ledger.count(kafkaTenant, "kafka", Ledger.Fate.ACKNOWLEDGED);
            awaitUntil(KAFKA_DRAIN, () -> stores.signalCount(kafkaTenant) >= ackedKafka);
            awaitQuiet(stores, httpTenant);

            LedgerCheck.Account http = LedgerCheck.account(ledger.entries(httpTenant, "http"), stores.signals(httpTenant));
            LedgerCheck.Account kafkaAccount = LedgerCheck.account(ledger.entries(kafkaTenant, "kafka"),
                    stores.signals(kafkaTenant));
            // A two-decimal mean of hundreds of signals hardly moves: the versions say whether the materializer caught up.
            awaitUntil(settings.retryWindow(), () -> scored(stores, httpTenant, http) && scored(stores, kafkaTenant, kafkaAccount));
            FaultResult.ScoreCheck httpScore = scoreCheck(stores, httpTenant, http);
            FaultResult.ScoreCheck kafkaScore = scoreCheck(stores, kafkaTenant, kafkaAccount);
            monitor.stop();
            if (monitor.failure() != null) {
                notes.add("recovery monitor failed: " + monitor.failure());
            }
            if (!httpScore.caughtUp() || !kafkaScore.caughtUp()) {
                notes.add("materializer: " + stores.materializerDiagnosis());
            }

            Map<String, Double> metricsAfter = Metrics.parse(client.metrics());
            Map<String, Double> metrics = fault.store == null ? metricsAfter : Metrics.delta(metricsBefore, metricsAfter);
            if (fault == Fault.CONSUMER_KILL) {
                double redelivered = metricsAfter.getOrDefault("ingest_events_processed_total{channel=kafka,outcome=duplicate}", 0.0);
                notes.add(String.format("after the restart the consumer answered %.0f Kafka signals duplicate (redelivered)", redelivered));
            }
            List<String> unexpected = unexpected(timeline, fault, outageStart);
            FaultResult.Recovery recovery = recovery(timeline, fault, restoreAt, restart, monitor);
            List<ProvenanceAudit> ledgers = stores.provenance();
            log("provenance ledgers checked: " + ledgers.size() + " tenants, "
                    + ledgers.stream().filter(l -> !l.ok()).count() + " broken or not covering their signals");
            return new FaultResult(fault, httpTenant, kafkaTenant, http, kafkaAccount, writers.requests(), writers.replays(),
                    timeline.counts(Timeline.Kind.WRITE), timeline.counts(Timeline.Kind.READ), bridgeCounts(timeline, outageStart, restoreAt),
                    unexpected.size(), unexpected.stream().distinct().limit(5).toList(), httpScore, kafkaScore,
                    seconds(restoreAt - outageStart), recovery, notes, metrics, ledgers);
        }
    }

    /**
     * Load on a tenant of its own until the server answers writes and reads quickly: a fresh JVM
     * (JIT, first connections, CDI) would otherwise make the first fault's "before" look like an outage.
     */
    void warmUp(Duration duration) throws InterruptedException {
        t0 = System.nanoTime();
        String tenant = "faults-" + runId + "-warm-up";
        String token = stack.token(tenant);
        Timeline timeline = new Timeline();
        HttpWriters writers = new HttpWriters(client, tenant, token, new Ledger(), timeline, settings.batch(),
                settings.writeRate());
        Readers readers = new Readers(client, List.of(tenant), List.of(token), timeline, settings.readRate());
        writers.start(settings.writers());
        readers.start(settings.readers());
        pause(duration);
        writers.stopNewRequests();
        readers.stop();
        writers.retryUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        writers.awaitSettled(System.nanoTime() + TimeUnit.SECONDS.toNanos(45));
        log("warm-up: " + timeline.count(Timeline.Kind.WRITE, Timeline.Outcome.OK) + " writes and "
                + timeline.count(Timeline.Kind.READ, Timeline.Outcome.OK) + " reads answered");
    }

    private double restartLiberty() throws Exception {
        long started = System.nanoTime();
        stack.startLiberty(settings.libertyStart());
        double took = seconds(System.nanoTime() - started);
        log(String.format("Liberty ready again after %.1f s", took));
        return took;
    }

    /** The materializer scored the tenant's last version, and PostgreSQL holds the expected score. */
    private static boolean scored(StoreInspector stores, String tenant, LedgerCheck.Account account) {
        BigDecimal expected = account.expectedScore();
        StoreInspector.Versions v = stores.versions(tenant);
        Optional<BigDecimal> score = stores.score(tenant);
        return v.scored() >= v.signal() && (expected == null || score.isPresent() && score.get().compareTo(expected) == 0);
    }

    private static FaultResult.ScoreCheck scoreCheck(StoreInspector stores, String tenant, LedgerCheck.Account account) {
        BigDecimal expected = account.expectedScore();
        StoreInspector.Versions versions = stores.versions(tenant);
        long distinct = account.storedRows() - account.duplicated();
        return new FaultResult.ScoreCheck(expected, stores.score(tenant).orElse(null), versions.signal(), versions.scored(),
                distinct, stores.emits(tenant), account.storedRows());
    }

    /** Error answers of a kind the fault should not fail, and any error before the fault began. */
    private static List<String> unexpected(Timeline timeline, Fault fault, long outageStart) {
        List<String> unexpected = new ArrayList<>();
        for (Timeline.Sample s : timeline.samples()) {
            boolean bad = s.outcome() == Timeline.Outcome.ERROR
                    && (s.kind() == Timeline.Kind.WRITE || s.kind() == Timeline.Kind.READ);
            if (bad && (!fault.mayFail.contains(s.kind()) || s.at() - outageStart < 0)) {
                unexpected.add(s.kind() + " " + s.code());
            }
        }
        return unexpected;
    }

    private FaultResult.Recovery recovery(Timeline timeline, Fault fault, long restoreAt, double restart,
                                          RecoveryMonitor monitor) {
        Double firstWrite = after(timeline.first(Timeline.Kind.WRITE, Timeline.Outcome.OK, restoreAt), restoreAt);
        Double lastWriteError = after(timeline.lastNotOk(Timeline.Kind.WRITE, restoreAt), restoreAt);
        Double firstRead = after(timeline.first(Timeline.Kind.READ, Timeline.Outcome.OK, restoreAt), restoreAt);
        Double lastReadNotOk = after(timeline.lastNotOk(Timeline.Kind.READ, restoreAt), restoreAt);
        Double kafka = monitor.kafkaCaughtUp() == 0 ? null : seconds(Math.max(0, monitor.kafkaCaughtUp() - restoreAt));
        Double score = monitor.scoreCaughtUp() == 0 ? null : seconds(Math.max(0, monitor.scoreCaughtUp() - restoreAt));
        Double bridge = after(timeline.first(Timeline.Kind.BRIDGE, Timeline.Outcome.OK, restoreAt), restoreAt);
        Double materializer = monitor.materializerBack() == 0 ? null
                : seconds(Math.max(0, monitor.materializerBack() - restoreAt));
        boolean reached = firstWrite != null && firstRead != null && kafka != null && score != null
                && materializer != null && (fault != Fault.REDIS_DOWN || bridge != null);
        double total = 0;
        // Back to normal once every kind of request succeeds again and nothing fails any more.
        for (Double d : new Double[] {firstWrite, lastWriteError, firstRead, lastReadNotOk, kafka, score, materializer,
                fault == Fault.REDIS_DOWN ? bridge : null}) {
            total = d == null ? total : Math.max(total, d);
        }
        return new FaultResult.Recovery(restart, firstWrite, lastWriteError, firstRead, lastReadNotOk, kafka, score,
                materializer, bridge, reached, total);
    }

    /** Signal events seen on the Redis bridge before, during and after the fault. */
    private static Map<String, Long> bridgeCounts(Timeline timeline, long outageStart, long restoreAt) {
        Map<String, Long> counts = new TreeMap<>();
        counts.put("1 before", 0L);
        counts.put("2 during", 0L);
        counts.put("3 after", 0L);
        for (Timeline.Sample s : timeline.samples()) {
            if (s.kind() == Timeline.Kind.BRIDGE) {
                String when = s.at() - outageStart < 0 ? "1 before" : s.at() - restoreAt < 0 ? "2 during" : "3 after";
                counts.merge(when, 1L, Long::sum);
            }
        }
        return counts;
    }

    /** Waits until Neo4j's count of the tenant's signals has not moved for two seconds (bounded). */
    private static void awaitQuiet(StoreInspector stores, String tenant) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long last = stores.signalCount(tenant);
        long since = System.nanoTime();
        while (System.nanoTime() - end < 0 && System.nanoTime() - since < TimeUnit.SECONDS.toNanos(2)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
            long now = stores.signalCount(tenant);
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
        }
    }

    private static void awaitUntil(Duration timeout, java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() - end < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    private static Double after(OptionalLong at, long from) {
        return at.isPresent() ? seconds(at.getAsLong() - from) : null;
    }

    private static void pause(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() - end < 0) {
            LockSupport.parkNanos(end - System.nanoTime());
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private void log(String message) {
        log.printf("[faults] %6.1f s  %s%n", seconds(System.nanoTime() - t0), message);
    }
}
