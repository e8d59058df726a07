package io.coherence.application.ingest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.provenance.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Idempotency-Key for ingest (IETF httpapi draft): the same key with the same body replays the
 * stored answer, with a different body is refused (422), while the first request still runs is
 * refused (409). Keys are scoped to the caller's tenant and kept for {@code COHERENCE_IDEMPOTENCY_TTL}.
 * Only answers a retry would get again are kept; a temporary one (429, 403, 5xx) releases the key.
 * An answer the store cannot take when it is known (the store fails, or a write in doubt answers
 * later) is held here and written by {@link #recordUnrecorded()}, so a key's answer never
 * contradicts what was stored; until then the key stays claimed and retries get 409.
 */
@ApplicationScoped
public class IdempotencyKeys {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class.getName());

    /** 1–255 printable ASCII characters, as the draft recommends for the header's string. */
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    /**
     * Refusals a retry may not get again: a token that expired, a policy that failed closed, a
     * key in use, a rate limit. 5xx are temporary too.
     */
    private static final Set<Integer> TEMPORARY = Set.of(401, 403, 408, 409, 425, 429);

    /** Answers held while the store fails; beyond, a key waits until its claim may be taken over. */
    static final int MAX_UNRECORDED = 10_000;

    @Inject
    IdempotencyStore store;

    @Inject
    @ConfigProperty(name = "COHERENCE_IDEMPOTENCY_TTL")
    Duration ttl;

    @Inject
    WriterSettings writer;

    @Inject
    MetricRegistry registry;

    private final Map<ScopedKey, Unrecorded> unrecorded = new ConcurrentHashMap<>();

    /** Whether the claims an earlier start of this replica left have been released. */
    private volatile boolean abandonedReleased;

    /** {@code idempotency_keys_unrecorded}: answers this replica holds because the key store failed. */
    void register(@Observes Startup startup) {
        registry.gauge("idempotency_keys_unrecorded", this, IdempotencyKeys::unrecorded);
    }

    /** Refuses a key that is not 1 to 255 printable ASCII characters. */
    public void check(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new CoherenceException(ErrorCode.INVALID_IDEMPOTENCY_KEY,
                    "Idempotency-Key must be 1 to 255 printable ASCII characters");
        }
    }

    /** The claim for this caller, key and body; refusals are thrown with their codes. */
    public Claimed claim(Caller caller, String key, String body) {
        check(key);
        ScopedKey id = new ScopedKey(caller.tenant().orElse("subject:" + caller.subject()), key);
        Unrecorded held = unrecorded.get(id);
        if (held != null) {
            // This replica knows the key's answer: store it first, so the claim finds it.
            tryRecord(id, held);
        }
        // A running claim older than the longest a write may take belongs to a request that died.
        IdempotencyStore.Claim claim = unavailableOnFailure(
                () -> store.claim(id.scope(), key, Sha256.hex(body), ttl, writer.timeout().multipliedBy(2)));
        if (claim instanceof IdempotencyStore.Running) {
            throw new CoherenceException(ErrorCode.IDEMPOTENCY_KEY_IN_USE,
                    "a request with this Idempotency-Key is still being processed; retry later");
        }
        if (claim instanceof IdempotencyStore.Reused) {
            throw new CoherenceException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was used for a different request body");
        }
        if (claim instanceof IdempotencyStore.Answered answered) {
            return new Claimed(id, null, answered);
        }
        return new Claimed(id, ((IdempotencyStore.Claimed) claim).at(), null);
    }

    /** Whether a retry would get this answer again, so that it may be replayed. */
    static boolean remembered(int status) {
        return status >= 200 && status < 300 || status >= 400 && status < 500 && !TEMPORARY.contains(status);
    }

    /**
     * Writes the answers held since the store failed; stops at the first failure (the store is
     * still down). Answers how many it wrote. The timer calls it every second.
     */
    public int recordUnrecorded() {
        int recorded = 0;
        for (Map.Entry<ScopedKey, Unrecorded> held : unrecorded.entrySet()) {
            if (!tryRecord(held.getKey(), held.getValue())) {
                break;
            }
            recorded++;
        }
        if (recorded > 0 && unrecorded.isEmpty()) {
            LOG.info("the idempotency key store took every answer held while it failed");
        }
        return recorded;
    }

    /**
     * Once after a start: releases the running claims this replica's previous process left (a
     * crash, kill -9), so that clients retrying them get their request run at once, not a 409
     * until the running timeout. Tried again on every call until the store takes it. The timer
     * calls it every second.
     */
    public void releaseAbandoned() {
        if (abandonedReleased) {
            return;
        }
        try {
            int released = store.releaseAbandoned();
            abandonedReleased = true;
            if (released > 0) {
                LOG.info(() -> "released " + released + " Idempotency-Key claims left running by this replica's previous start");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "the idempotency key store did not take the release of abandoned claims; retried", e);
        }
    }

    /** How many answers wait for the key store. */
    public int unrecorded() {
        return unrecorded.size();
    }

    private boolean tryRecord(ScopedKey id, Unrecorded answer) {
        try {
            if (answer.release()) {
                store.release(id.scope(), id.key(), answer.at());
            } else {
                store.complete(id.scope(), id.key(), answer.at(), answer.status(), answer.body());
            }
            unrecorded.remove(id, answer);
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "the idempotency key store did not take an answer; kept for later", e);
            return false;
        }
    }

    private void settle(ScopedKey id, Unrecorded answer) {
        if (tryRecord(id, answer)) {
            return;
        }
        if (unrecorded.size() >= MAX_UNRECORDED) {
            LOG.warning(() -> "the idempotency key store failed and " + MAX_UNRECORDED + " answers wait for it; "
                    + "this key stays claimed until its claim may be taken over");
            return;
        }
        if (unrecorded.isEmpty()) {
            LOG.warning("the idempotency key store failed; answers are held here and written when it returns");
        }
        unrecorded.put(id, answer);
    }

    /** Any failure of the key store (a refused call of an open circuit breaker too) is STORE_UNAVAILABLE. */
    private static <T> T unavailableOnFailure(Supplier<T> call) {
        try {
            return call.get();
        } catch (CoherenceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CoherenceException(ErrorCode.STORE_UNAVAILABLE,
                    "the idempotency key store is unavailable; nothing was written, retry", List.of(), e);
        }
    }

    private record ScopedKey(String scope, String key) {
    }

    /** An answer to store for the claim made {@code at}, or (release) the claim to forget. */
    private record Unrecorded(Instant at, boolean release, int status, String body) {
    }

    /** A claim: {@code replay} is the stored answer when the request already ran. */
    public final class Claimed {
        private final ScopedKey id;
        private final Instant at;
        private final IdempotencyStore.Answered replay;

        Claimed(ScopedKey id, Instant at, IdempotencyStore.Answered replay) {
            this.id = id;
            this.at = at;
            this.replay = replay;
        }

        public IdempotencyStore.Answered replay() {
            return replay;
        }

        /**
         * Keeps an answer a retry would get again; any other releases the key so a retry may run.
         * Never throws: the caller's answer stands whatever the key store does, and what it cannot
         * take now is written when it can.
         */
        public void finish(int status, String body) {
            settle(id, remembered(status) ? new Unrecorded(at, false, status, body) : new Unrecorded(at, true, 0, null));
        }

        /**
         * The answer is not known yet (a write in doubt): the key stays claimed, so retries get 409
         * until the answer is there; a failure releases the key. The answer is written by the next
         * {@link #recordUnrecorded()} or the next claim of this key here, never on the completing thread.
         */
        public void finishWhenKnown(CompletionStage<IdempotencyStore.Answered> answer) {
            answer.whenComplete((known, failure) -> {
                Unrecorded late = known != null && remembered(known.status())
                        ? new Unrecorded(at, false, known.status(), known.body()) : new Unrecorded(at, true, 0, null);
                if (unrecorded.size() < MAX_UNRECORDED) {
                    unrecorded.put(id, late);
                }
            });
        }
    }
}
