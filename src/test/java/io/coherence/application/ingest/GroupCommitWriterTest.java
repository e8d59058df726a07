package io.coherence.application.ingest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.domain.provenance.Provenance;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalIdentity;
import io.coherence.domain.signal.WriteOutcome;
import io.coherence.domain.tenant.PolicyTags;
import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class GroupCommitWriterTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Instant TS = Instant.parse("2026-03-01T12:00:00Z");
    private static final PolicyTags TAGS = new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US");

    private final FakeSignalRepository repository = new FakeSignalRepository();
    private final List<GroupCommitWriter> writers = new ArrayList<>();

    @AfterEach
    void closeWriters() {
        repository.release();
        writers.forEach(GroupCommitWriter::close);
    }

    private GroupCommitWriter writer(int maxSignals, int writerThreads, Duration timeout, int queueCapacity) {
        GroupCommitWriter writer = new GroupCommitWriter(repository,
                new WriterSettings(maxSignals, Duration.ZERO, writerThreads, timeout, queueCapacity));
        writers.add(writer);
        return writer;
    }

    private static Signal signal(String id) {
        return new Signal(new SignalIdentity(TenantId.of("tenant-a"), "probe-1", id, TS), "latency", 0.5, 1.0,
                new Provenance("prov-" + id, "hash-" + id, "http", TAGS));
    }

    private static List<Signal> signals(String request, int n) {
        return IntStream.range(0, n).mapToObj(i -> signal(request + "-" + i)).toList();
    }

    private static List<String> provenanceIds(List<Signal> signals) {
        return signals.stream().map(s -> s.provenance().provenanceId()).toList();
    }

    /**
     * One caller writing on its own thread, so a test can hold some writes while others queue up
     * (GroupCommitWriterEventsTest uses it too).
     */
    static final class Request {

        final List<Signal> signals;
        final CompletableFuture<List<WriteOutcome>> result = new CompletableFuture<>();
        final Thread thread;

        Request(GroupCommitWriter writer, List<Signal> signals) {
            this.signals = signals;
            this.thread = new Thread(() -> {
                try {
                    result.complete(writer.write(signals));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            }, "caller");
            thread.setDaemon(true);
            thread.start();
        }

        /**
         * Parked with a deadline (the request is queued and its caller waits for the commit), or
         * already given up waiting (the request is then withdrawn, or in doubt in a transaction).
         */
        boolean waitingForCommit() {
            return thread.getState() == Thread.State.TIMED_WAITING || result.isDone();
        }

        List<WriteOutcome> outcomes() throws Exception {
            return result.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        CoherenceException failure() {
            ExecutionException e = catchThrowableOfType(ExecutionException.class,
                    () -> result.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertThat(e).as("the request should have failed").isNotNull();
            assertThat(e.getCause()).isInstanceOf(CoherenceException.class);
            return (CoherenceException) e.getCause();
        }
    }

    /** Holds the store on a first request, then queues {@code others} behind it. */
    private Request holdFirstThenQueue(GroupCommitWriter writer, List<List<Signal>> others, List<Request> queued)
            throws InterruptedException {
        repository.hold();
        Request first = new Request(writer, signals("first", 1));
        assertThat(repository.awaitTransactionStarted(WAIT)).as("the first transaction started").isTrue();
        // One at a time, so the queue order is the order of `others`.
        for (List<Signal> signals : others) {
            Request request = new Request(writer, signals);
            Eventually.await("the queued caller waits for its commit", WAIT, request::waitingForCommit);
            queued.add(request);
        }
        return first;
    }

    @Test
    void concurrentRequestsShareTransactionsAndEachCallerGetsItsOwnOutcomes() throws Exception {
        GroupCommitWriter writer = writer(1000, 1, WAIT, 100);
        List<List<Signal>> others = IntStream.range(1, 50).mapToObj(i -> signals("r" + i, 1 + i % 3)).toList();
        List<Request> queued = new ArrayList<>();

        Request first = holdFirstThenQueue(writer, others, queued);
        repository.release();

        assertThat(first.outcomes()).extracting(WriteOutcome::provenanceId).containsExactly("prov-first-0");
        for (Request r : queued) {
            List<WriteOutcome> outcomes = r.outcomes();
            assertThat(outcomes).extracting(WriteOutcome::provenanceId).containsExactlyElementsOf(provenanceIds(r.signals));
            assertThat(outcomes).extracting(WriteOutcome::status).containsOnly(WriteOutcome.Status.ACCEPTED);
        }
        int requests = 1 + queued.size();
        assertThat(repository.calls()).hasSizeLessThan(requests).hasSize(2);
        assertThat(repository.calls().get(1))
                .containsExactlyElementsOf(others.stream().flatMap(List::stream).toList());
    }

    @Test
    void outcomesAreSlicedPerRequestEvenWhenSomeAreDuplicates() throws Exception {
        GroupCommitWriter writer = writer(1000, 1, WAIT, 100);
        Signal x = signal("x");
        Signal y = signal("y");
        writer.write(List.of(x, y));
        Signal xAgain = new Signal(x.identity(), "latency", 0.9, 1.0, new Provenance("prov-x-again", "h", "http", TAGS));
        Signal yAgain = new Signal(y.identity(), "latency", 0.1, 1.0, new Provenance("prov-y-again", "h", "http", TAGS));
        List<Request> queued = new ArrayList<>();

        holdFirstThenQueue(writer, List.of(
                List.of(signal("a1"), xAgain, signal("a2")),
                List.of(yAgain, signal("b1"))), queued);
        repository.release();

        // x and y took sequences 1 and 2, the held first request 3.
        assertThat(queued.get(0).outcomes()).containsExactly(WriteOutcome.accepted("prov-a1", 4),
                WriteOutcome.duplicate("prov-x"), WriteOutcome.accepted("prov-a2", 5));
        assertThat(queued.get(1).outcomes()).containsExactly(WriteOutcome.duplicate("prov-y"),
                WriteOutcome.accepted("prov-b1", 6));
        assertThat(repository.calls()).extracting(List::size).containsExactly(2, 1, 5);
    }

    @Test
    void maxSignalsCapsAGroupOfWholeRequests() throws Exception {
        GroupCommitWriter writer = writer(5, 1, WAIT, 100);
        List<List<Signal>> others = IntStream.range(0, 10).mapToObj(i -> signals("r" + i, 2)).toList();
        List<Request> queued = new ArrayList<>();

        holdFirstThenQueue(writer, others, queued);
        repository.release();
        for (Request r : queued) {
            assertThat(r.outcomes()).hasSize(2);
        }

        assertThat(repository.calls()).extracting(List::size).containsExactly(1, 4, 4, 4, 4, 4);
        assertThat(repository.calls()).allSatisfy(call -> assertThat(call).hasSizeLessThanOrEqualTo(5));
    }

    @Test
    void aRequestLargerThanMaxSignalsIsWrittenWholeInOneTransaction() {
        GroupCommitWriter writer = writer(5, 1, WAIT, 100);

        List<WriteOutcome> outcomes = writer.write(signals("big", 7));

        assertThat(outcomes).hasSize(7);
        assertThat(repository.calls()).extracting(List::size).containsExactly(7);
    }

    @Test
    void whenASharedTransactionFailsOnlyThePoisonedRequestFails() throws Exception {
        GroupCommitWriter writer = writer(1000, 1, WAIT, 100);
        List<Signal> a = signals("a", 2);
        List<Signal> b = signals("b", 2);
        List<Signal> poisoned = List.of(signal("p-0"), signal("poison"), signal("p-2"));
        List<Signal> c = signals("c", 2);
        List<Signal> d = signals("d", 1);
        repository.failWhenSaving(s -> s.identity().signalId().equals("poison"));
        List<Request> queued = new ArrayList<>();

        holdFirstThenQueue(writer, List.of(a, b, poisoned, c, d), queued);
        repository.release();

        assertThat(queued.get(2).failure().code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        for (int i : new int[] {0, 1, 3, 4}) {
            Request r = queued.get(i);
            assertThat(r.outcomes()).extracting(WriteOutcome::provenanceId).containsExactlyElementsOf(provenanceIds(r.signals));
        }
        List<List<Signal>> calls = repository.calls();
        assertThat(calls).hasSize(7);
        assertThat(calls.get(1)).hasSize(10).containsAll(poisoned);
        assertThat(calls.subList(2, 7)).containsExactly(a, b, poisoned, c, d);
        assertThat(repository.committed()).doesNotContain(poisoned).contains(a, b, c, d);
        assertThat(poisoned).noneMatch(s -> repository.isStored(s.identity()));
    }

    @Test
    void aFailedWriteOfASingleRequestIsStoreUnavailableWithTheCause() {
        GroupCommitWriter writer = writer(1000, 1, WAIT, 100);
        repository.failWhenSaving(s -> true);

        CoherenceException e = catchThrowableOfType(CoherenceException.class, () -> writer.write(signals("r", 2)));

        assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessageContaining("refused");
        assertThat(e.getMessage()).doesNotContain("refused");
    }

    @Test
    void aRefusalWithACodeFromTheStoreReachesTheCallerUnchanged() {
        GroupCommitWriter writer = writer(1000, 1, WAIT, 100);
        CoherenceException refusal = new CoherenceException(ErrorCode.BAD_USER_INPUT, "refused by the store");
        repository.failWhenSaving(s -> true, () -> refusal);

        assertThatThrownBy(() -> writer.write(signals("r", 1))).isSameAs(refusal);
    }

    /** Issue 14: it was STORE_UNAVAILABLE ("nothing is acknowledged") and then committed. */
    @Test
    void aWriteInATransactionThatDoesNotCommitInTimeIsOutcomeUnknownAndTellsTheOutcomeLater() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        GroupCommitWriter writer = writer(1000, 1, timeout, 100);
        repository.hold();

        long started = System.nanoTime();
        OutcomeUnknownException e = catchThrowableOfType(OutcomeUnknownException.class,
                () -> writer.write(signals("slow", 1)));
        Duration waited = Duration.ofNanos(System.nanoTime() - started);

        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
        assertThat(waited).isGreaterThanOrEqualTo(timeout).isLessThan(WAIT);
        repository.release();
        assertThat(e.outcomes().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .extracting(WriteOutcome::provenanceId).containsExactly("prov-slow-0");
    }

    /**
     * Issue 14: a caller who gave up while its request was still queued was told "nothing is
     * acknowledged", and the request was written later all the same.
     */
    @Test
    void aRequestStillQueuedWhenItsCallerGivesUpIsNeverWritten() throws Exception {
        GroupCommitWriter writer = writer(1000, 1, Duration.ofSeconds(1), 100);
        List<Request> queued = new ArrayList<>();
        Request first = holdFirstThenQueue(writer, List.of(signals("gave-up", 2)), queued);
        Request gaveUp = queued.get(0);

        assertThat(gaveUp.failure().code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(first.failure().code()).as("the request in the held transaction").isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
        repository.release();
        // One writer takes requests in order: once a later request is written, the one given up would have been.
        List<Signal> later = signals("later", 1);
        Eventually.await("a later request is written", WAIT, () -> {
            try {
                writer.write(later);
                return true;
            } catch (CoherenceException e) {
                return false;
            }
        });

        assertThat(repository.calls()).flatExtracting(call -> call).extracting(s -> s.identity().signalId())
                .contains("later-0").doesNotContain("gave-up-0", "gave-up-1");
    }

    @Test
    void aFullQueueRefusesAfterTheTimeoutWithoutWriting() throws Exception {
        GroupCommitWriter writer = writer(1000, 1, Duration.ofSeconds(1), 1);
        List<Request> queued = new ArrayList<>();
        holdFirstThenQueue(writer, List.of(signals("queued", 1)), queued);

        CoherenceException e = catchThrowableOfType(CoherenceException.class, () -> writer.write(signals("overflow", 1)));

        assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        repository.release();
        assertThat(repository.calls()).flatExtracting(call -> call)
                .extracting(s -> s.identity().signalId()).doesNotContain("overflow-0");
    }

    @Test
    void closeFailsTheRequestsStillWaitingAndLetsTheRunningOneFinish() throws Exception {
        GroupCommitWriter writer = writer(1000, 1, WAIT, 100);
        List<Request> queued = new ArrayList<>();
        Request first = holdFirstThenQueue(writer, List.of(signals("w1", 1), signals("w2", 2)), queued);

        Thread closer = new Thread(writer::close, "closer");
        closer.start();
        // close() stops the writer loop first, then waits for the writer thread: only then release the store.
        Eventually.await("close() waits for the writer", WAIT, () -> closer.getState() == Thread.State.TIMED_WAITING);
        repository.release();
        closer.join(WAIT.toMillis());

        assertThat(closer.isAlive()).isFalse();
        assertThat(first.outcomes()).extracting(WriteOutcome::status).containsExactly(WriteOutcome.Status.ACCEPTED);
        for (Request r : queued) {
            assertThat(r.failure().code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        }
        assertThat(repository.calls()).containsExactly(first.signals);
    }

    /**
     * Several writer threads take requests from one queue: however they interleave, every request
     * must be written exactly once and answered. Interleavings are up to the scheduler, so this
     * gives them many rounds and stops at the first one that loses or repeats a request.
     */
    @Test
    void withSeveralWritersEveryRequestIsWrittenExactlyOnce() throws Exception {
        GroupCommitWriter writer = writer(8, 4, Duration.ofSeconds(2), 10_000);
        for (int round = 0; round < 10; round++) {
            String prefix = "round" + round + "-";
            int callers = 16;
            int requestsPerCaller = 300;
            int unanswered = writeConcurrently(writer, prefix, callers, requestsPerCaller);

            Map<String, Integer> writes = new HashMap<>();
            repository.calls().forEach(call -> call.stream().map(s -> s.identity().signalId())
                    .filter(id -> id.startsWith(prefix)).forEach(id -> writes.merge(id, 1, Integer::sum)));
            assertThat(unanswered).as("requests never committed (lost between writers) in " + prefix).isZero();
            assertThat(writes).as("signals written in " + prefix).hasSize(callers * (requestsPerCaller / 2) * 3);
            assertThat(writes).as("signals written more than once in " + prefix)
                    .allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        }
    }

    /** Each caller writes its requests one after the other; returns how many were not answered. */
    private static int writeConcurrently(GroupCommitWriter writer, String prefix, int callers, int requestsPerCaller)
            throws Exception {
        AtomicInteger unanswered = new AtomicInteger();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            String caller = prefix + "c" + c;
            done.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < requestsPerCaller; i++) {
                    List<Signal> request = signals(caller + "-" + i, 1 + i % 2);
                    try {
                        assertThat(writer.write(request)).extracting(WriteOutcome::provenanceId)
                                .containsExactlyElementsOf(provenanceIds(request));
                    } catch (CoherenceException e) {
                        unanswered.incrementAndGet();
                    }
                }
            }, r -> {
                Thread t = new Thread(r, "caller");
                t.setDaemon(true);
                t.start();
            }));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        return unanswered.get();
    }
}
