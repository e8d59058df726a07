package io.coherence.faults;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the clients saw, answer by answer, with the time each answer arrived (System.nanoTime):
 * the raw material for the error counts and the recovery times.
 */
final class Timeline {

    /** Who saw it: an HTTP write attempt, a GraphQL read, a Kafka send, an event on the Redis bridge. */
    enum Kind { WRITE, READ, KAFKA, BRIDGE }

    /** OK; DEGRADED: answered, but from a fallback the answer says it used; ERROR: no answer to use. */
    enum Outcome { OK, DEGRADED, ERROR }

    record Sample(long at, Kind kind, Outcome outcome, String code) {
    }

    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();

    void record(Kind kind, Outcome outcome, String code) {
        samples.add(new Sample(System.nanoTime(), kind, outcome, code));
    }

    void add(Sample sample) {
        samples.add(sample);
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The first sample of this kind and outcome at or after {@code from}. */
    OptionalLong first(Kind kind, Outcome outcome, long from) {
        return samples.stream().filter(s -> s.kind() == kind && s.outcome() == outcome && s.at() - from >= 0)
                .mapToLong(Sample::at).min();
    }

    /** The last sample of this kind that was not OK, at or after {@code from}. */
    OptionalLong lastNotOk(Kind kind, long from) {
        return samples.stream().filter(s -> s.kind() == kind && s.outcome() != Outcome.OK && s.at() - from >= 0)
                .mapToLong(Sample::at).max();
    }

    /** Samples of a kind by outcome and code ("OK", "DEGRADED", "ERROR 503 STORE_UNAVAILABLE", ...), in order. */
    Map<String, Long> counts(Kind kind) {
        Map<String, Long> counts = new TreeMap<>();
        for (Sample s : samples) {
            if (s.kind() == kind) {
                String key = s.outcome() == Outcome.OK ? "OK" : s.outcome() + (s.code() == null ? "" : " " + s.code());
                counts.merge(key, 1L, Long::sum);
            }
        }
        return counts;
    }

    long count(Kind kind, Outcome outcome) {
        return samples.stream().filter(s -> s.kind() == kind && s.outcome() == outcome).count();
    }

    /** Samples not OK of a kind in [from, to). */
    long notOkBetween(Kind kind, long from, long to) {
        return samples.stream().filter(s -> s.kind() == kind && s.outcome() != Outcome.OK
                && s.at() - from >= 0 && s.at() - to < 0).count();
    }
}
