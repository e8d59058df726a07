package io.coherence.infrastructure.postgres;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.ingest.IdempotencyStore;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

/**
 * Idempotency-Key claims in {@code idempotency_keys} (db-migrations/postgres/V3), bounded by the
 * data source's timeouts and behind a circuit breaker like every PostgreSQL adapter. A claim's
 * {@code created_at} tells it from a later claim of the same key; its owner (replica name and
 * start) lets a replica that starts again release at once the claims its dead process left.
 */
@ApplicationScoped
public class PostgresIdempotencyStore implements IdempotencyStore {

    /** Inserts the claim, or takes over one that expired or whose request died; returns a row if claimed. */
    static final String CLAIM = """
            INSERT INTO idempotency_keys (tenant_scope, idem_key, request_hash, state, created_at, owner_replica, owner_boot)
            VALUES (?, ?, ?, 'running', now(), ?, ?)
            ON CONFLICT (tenant_scope, idem_key) DO UPDATE
              SET request_hash = EXCLUDED.request_hash, state = 'running', status = NULL, response = NULL,
                  created_at = now(), owner_replica = EXCLUDED.owner_replica, owner_boot = EXCLUDED.owner_boot
              WHERE idempotency_keys.created_at < now() - make_interval(secs => ?)
                 OR (idempotency_keys.state = 'running' AND idempotency_keys.created_at < now() - make_interval(secs => ?))
            RETURNING created_at
            """;

    static final String FIND = """
            SELECT request_hash, state, status, response FROM idempotency_keys
            WHERE tenant_scope = ? AND idem_key = ?
            """;

    /** Only the claim made at that instant: a late answer must not land on a claim that took over. */
    static final String COMPLETE = """
            UPDATE idempotency_keys SET state = 'done', status = ?, response = ?
            WHERE tenant_scope = ? AND idem_key = ? AND state = 'running' AND created_at = ?
            """;

    static final String RELEASE = """
            DELETE FROM idempotency_keys
            WHERE tenant_scope = ? AND idem_key = ? AND state = 'running' AND created_at = ?
            """;

    /** The running claims an earlier start of this replica left: their requests died with it. */
    static final String RELEASE_ABANDONED = """
            DELETE FROM idempotency_keys
            WHERE state = 'running' AND owner_replica = ? AND owner_boot <> ?
            """;

    /**
     * One bounded batch of expired keys, the oldest first (the created_at index). SKIP LOCKED lets
     * replicas expire at once without waiting for each other, and spares a key a request holds.
     */
    static final String EXPIRE = """
            DELETE FROM idempotency_keys WHERE (tenant_scope, idem_key) IN (
              SELECT tenant_scope, idem_key FROM idempotency_keys
              WHERE created_at < now() - make_interval(secs => ?)
              ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED)
            """;

    @Resource(lookup = "jdbc/coherence")
    DataSource dataSource;

    /** This replica's name (COHERENCE_REPLICA_NAME, the host name by default); unique per replica. */
    @Inject
    @ConfigProperty(name = "COHERENCE_REPLICA_NAME")
    Optional<String> replicaName;

    /** This start of the replica: claims of another start of the same name belong to a dead process. */
    final String boot = UUID.randomUUID().toString();

    private volatile String replica;

    String replica() {
        String r = replica;
        if (r == null) {
            r = replicaName.filter(n -> !n.isBlank()).map(String::trim).orElseGet(PostgresIdempotencyStore::hostName);
            replica = r;
        }
        return r;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    @WithSpan(value = "postgres claim idempotency key", kind = SpanKind.CLIENT)
    public Claim claim(String scope, String key, String requestHash, Duration ttl, Duration runningTimeout) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                ps.setString(1, scope);
                ps.setString(2, key);
                ps.setString(3, requestHash);
                ps.setString(4, replica());
                ps.setString(5, boot);
                ps.setDouble(6, ttl.toMillis() / 1000.0);
                ps.setDouble(7, runningTimeout.toMillis() / 1000.0);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new Claimed(rs.getObject(1, OffsetDateTime.class).toInstant());
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(FIND)) {
                ps.setString(1, scope);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        // Released between the two statements: the caller may simply retry.
                        return new Running();
                    }
                    if (!rs.getString("request_hash").equals(requestHash)) {
                        return new Reused();
                    }
                    if ("running".equals(rs.getString("state"))) {
                        return new Running();
                    }
                    return new Answered(rs.getInt("status"), rs.getString("response"));
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    @WithSpan(value = "postgres complete idempotency key", kind = SpanKind.CLIENT)
    public void complete(String scope, String key, Instant at, int status, String body) {
        update(COMPLETE, ps -> {
            ps.setInt(1, status);
            ps.setString(2, body);
            ps.setString(3, scope);
            ps.setString(4, key);
            ps.setObject(5, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        });
    }

    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    @WithSpan(value = "postgres release idempotency key", kind = SpanKind.CLIENT)
    public void release(String scope, String key, Instant at) {
        update(RELEASE, ps -> {
            ps.setString(1, scope);
            ps.setString(2, key);
            ps.setObject(3, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        });
    }

    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    @WithSpan(value = "postgres release abandoned idempotency keys", kind = SpanKind.CLIENT)
    public int releaseAbandoned() {
        return update(RELEASE_ABANDONED, ps -> {
            ps.setString(1, replica());
            ps.setString(2, boot);
        });
    }

    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    @WithSpan(value = "postgres expire idempotency keys", kind = SpanKind.CLIENT)
    public int expire(Duration ttl, int batch) {
        return update(EXPIRE, ps -> {
            ps.setDouble(1, ttl.toMillis() / 1000.0);
            ps.setInt(2, batch);
        });
    }

    private int update(String sql, SqlUpdate.Binder binder) {
        return SqlUpdate.run(dataSource, sql, binder, PostgresIdempotencyStore::unavailable);
    }

    private static CoherenceException unavailable(SQLException e) {
        return new CoherenceException(ErrorCode.STORE_UNAVAILABLE,
                "the idempotency key store is unavailable; nothing was written, retry", java.util.List.of(), e);
    }
}
