package io.coherence.application.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.provenance.Provenance;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalIdentity;
import io.coherence.domain.signal.WriteOutcome;
import io.coherence.domain.tenant.PolicyTags;
import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.Eventually;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The writer tells its commit listener about every commit, before answering, and whatever the listener does. */
class GroupCommitWriterEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Instant TS = Instant.parse("2026-03-01T12:00:00Z");
    private static final PolicyTags TAGS = new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US");

    private final FakeSignalRepository repository = new FakeSignalRepository();
    private final List<GroupCommitWriter> writers = new ArrayList<>();
    private final List<Commit> commits = new CopyOnWriteArrayList<>();

    private record Commit(List<Signal> signals, List<WriteOutcome> outcomes) {
    }

    @AfterEach
    void closeWriters() {
        repository.release();
        writers.forEach(GroupCommitWriter::close);
    }

    private GroupCommitWriter writer(CommitListener listener) {
        GroupCommitWriter writer = new GroupCommitWriter(repository,
                new WriterSettings(1000, Duration.ZERO, 1, WAIT, 100), listener);
        writers.add(writer);
        return writer;
    }

    private void record(List<Signal> signals, List<WriteOutcome> outcomes) {
        commits.add(new Commit(List.copyOf(signals), List.copyOf(outcomes)));
    }

    private static List<Signal> signals(String request, int n) {
        return IntStream.range(0, n).mapToObj(i -> new Signal(
                new SignalIdentity(TenantId.of("tenant-a"), "probe-1", request + "-" + i, TS), "latency", 0.5, 1.0,
                new Provenance("prov-" + request + "-" + i, "hash", "http", TAGS))).toList();
    }

    @Test
    void theListenerSeesEachCommitInCommitOrderBeforeItsCallerIsAnswered() {
        GroupCommitWriter writer = writer(this::record);
        List<List<Signal>> requests = List.of(signals("r1", 2), signals("r2", 1), signals("r3", 3));

        for (int i = 0; i < requests.size(); i++) {
            List<WriteOutcome> outcomes = writer.write(requests.get(i));

            assertThat(commits).as("commits known when write() returned").hasSize(i + 1);
            assertThat(commits.get(i)).isEqualTo(new Commit(requests.get(i), outcomes));
        }
        assertThat(commits).flatExtracting(Commit::outcomes).extracting(WriteOutcome::sequence)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void requestsSharingATransactionAreReportedAsOneCommitWithTheirOutcomesInOrder() throws Exception {
        GroupCommitWriter writer = writer(this::record);
        writer.write(signals("dup", 1));
        repository.hold();
        GroupCommitWriterTest.Request first = new GroupCommitWriterTest.Request(writer, signals("first", 1));
        assertThat(repository.awaitTransactionStarted(WAIT)).isTrue();
        GroupCommitWriterTest.Request a = new GroupCommitWriterTest.Request(writer, signals("a", 2));
        Eventually.await("a is queued", WAIT, a::waitingForCommit);
        GroupCommitWriterTest.Request b = new GroupCommitWriterTest.Request(writer, List.of(signals("dup", 1).get(0), signals("b", 1).get(0)));
        Eventually.await("b is queued", WAIT, b::waitingForCommit);

        repository.release();
        first.outcomes();
        List<WriteOutcome> bOutcomes = b.outcomes();

        assertThat(commits).hasSize(3);
        Commit shared = commits.get(2);
        assertThat(shared.signals()).extracting(s -> s.identity().signalId())
                .containsExactly("a-0", "a-1", "dup-0", "b-0");
        assertThat(shared.outcomes()).containsExactlyElementsOf(
                concat(a.outcomes(), bOutcomes));
        assertThat(bOutcomes.get(0).accepted()).as("dup-0 was stored before").isFalse();
    }

    private static List<WriteOutcome> concat(List<WriteOutcome> first, List<WriteOutcome> second) {
        List<WriteOutcome> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    @Test
    void theCallerIsNotAnsweredUntilTheListenerReturns() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        GroupCommitWriter writer = writer((signals, outcomes) -> {
            entered.countDown();
            try {
                proceed.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        GroupCommitWriterTest.Request request = new GroupCommitWriterTest.Request(writer, signals("r", 2));
        assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the listener was called").isTrue();
        Eventually.await("the caller waits in write()", WAIT, request::waitingForCommit);

        assertThat(request.result).as("answered while the listener still runs").isNotDone();
        proceed.countDown();
        assertThat(request.outcomes()).extracting(WriteOutcome::status)
                .containsExactly(WriteOutcome.Status.ACCEPTED, WriteOutcome.Status.ACCEPTED);
    }

    @Test
    void aListenerThatThrowsDoesNotFailTheWrite() {
        GroupCommitWriter writer = writer((signals, outcomes) -> {
            throw new IllegalStateException("the event bus is broken");
        });
        List<Signal> first = signals("first", 2);
        List<Signal> second = signals("second", 1);

        List<WriteOutcome> firstOutcomes = writer.write(first);
        List<WriteOutcome> secondOutcomes = writer.write(second);

        assertThat(firstOutcomes).containsExactly(WriteOutcome.accepted("prov-first-0", 1),
                WriteOutcome.accepted("prov-first-1", 2));
        assertThat(secondOutcomes).containsExactly(WriteOutcome.accepted("prov-second-0", 3));
        assertThat(repository.calls()).as("each written once, not retried").containsExactly(first, second);
    }

    @Test
    void aWriteThatDidNotCommitIsNeverPublished() {
        GroupCommitWriter writer = writer(this::record);
        repository.failWhenSaving(signal -> signal.identity().signalId().startsWith("bad"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.write(signals("bad", 2)))
                .isInstanceOf(RuntimeException.class);
        writer.write(signals("good", 1));

        assertThat(commits).hasSize(1);
        assertThat(commits.get(0).signals()).extracting(sig -> sig.identity().signalId()).containsExactly("good-0");
    }
}
