package io.coherence.application.ingest;

import io.coherence.application.events.EventBus;
import io.coherence.application.events.SignalCommitted;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.WriteOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Publishes one SignalCommitted per newly stored signal; duplicates changed nothing and publish nothing. */
public class CommittedSignalPublisher implements CommitListener {

    private final EventBus bus;
    private final Clock clock;

    public CommittedSignalPublisher(EventBus bus, Clock clock) {
        this.bus = bus;
        this.clock = clock;
    }

    @Override
    public void committed(List<Signal> signals, List<WriteOutcome> outcomes) {
        Instant committedAt = clock.instant();
        List<SignalCommitted> events = new ArrayList<>(signals.size());
        for (int i = 0; i < signals.size(); i++) {
            if (outcomes.get(i).accepted()) {
                events.add(SignalCommitted.of(signals.get(i), outcomes.get(i), committedAt));
            }
        }
        if (!events.isEmpty()) {
            bus.publish(events);
        }
    }
}
