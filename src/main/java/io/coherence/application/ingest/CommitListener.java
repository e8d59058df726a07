package io.coherence.application.ingest;

import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.WriteOutcome;
import java.util.List;

/**
 * Told about each committed transaction by the writer thread that committed it, before any of its
 * callers is answered, so it sees one tenant's commits in commit order. Must not block.
 */
@FunctionalInterface
public interface CommitListener {

    CommitListener NONE = (signals, outcomes) -> { };

    void committed(List<Signal> signals, List<WriteOutcome> outcomes);
}
