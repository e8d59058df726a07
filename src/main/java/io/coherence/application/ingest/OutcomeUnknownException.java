package io.coherence.application.ingest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.domain.signal.WriteOutcome;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The caller stopped waiting while its signals were being written: they may or may not commit.
 * {@link #outcomes()} completes when the store answers, so an Idempotency-Key can still be given
 * the real answer; a retry of the same signals is safe, since their identities dedupe.
 */
public class OutcomeUnknownException extends CoherenceException {

    private static final long serialVersionUID = 1L;

    private final transient CompletionStage<List<WriteOutcome>> outcomes;

    public OutcomeUnknownException(CompletionStage<List<WriteOutcome>> outcomes, Throwable cause) {
        super(ErrorCode.OUTCOME_UNKNOWN, "the signal store did not confirm the write in time and it may still "
                + "commit; retry the same request (with the same Idempotency-Key) to learn the outcome, it is not stored twice",
                List.of(), cause);
        this.outcomes = outcomes;
    }

    /** The write's outcomes once the store answers, or its failure (then nothing was written). */
    public CompletionStage<List<WriteOutcome>> outcomes() {
        return outcomes;
    }
}
