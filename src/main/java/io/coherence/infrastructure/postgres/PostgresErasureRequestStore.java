package io.coherence.infrastructure.postgres;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.domain.erasure.ErasureRequest;
import io.coherence.domain.erasure.ErasureRequestStore;
import io.coherence.domain.erasure.ErasureScope;
import io.coherence.domain.erasure.ErasureStatus;
import io.coherence.domain.erasure.ErasureStep;
import io.coherence.domain.tenant.TenantId;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

/** The erasure queue in {@code rtbf_requests} (db-migrations/postgres/V7). */
@ApplicationScoped
public class PostgresErasureRequestStore implements ErasureRequestStore {

    static final String COLUMNS = """
            id, tenant_id, subject_id, subject_sha256, scope, status, requested_at, started_at, completed_at,
            affected, audit_package, audit_signature, reason, step, attempts, audit""";

    static final String INSERT = """
            INSERT INTO rtbf_requests (id, tenant_id, subject_id, subject_sha256, scope, status, requested_at,
                                       completed_at, reason, step)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    static final String FIND = "SELECT " + COLUMNS + " FROM rtbf_requests WHERE tenant_id = ? AND id = ?";

    /**
     * The oldest unfinished request nobody holds: queued, or running with its lease ended (its
     * worker died, paused it, or failed). SKIP LOCKED: replicas claiming at once take different ones.
     */
    static final String CLAIM = """
            UPDATE rtbf_requests r
               SET status = 'running', started_at = coalesce(r.started_at, now()),
                   lease_owner = ?, lease_until = now() + make_interval(secs => ?)
             WHERE r.id = (SELECT id FROM rtbf_requests
                            WHERE status IN ('queued', 'running') AND (lease_until IS NULL OR lease_until < now())
                            ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING r.*
            """;

    static final String RENEW = """
            UPDATE rtbf_requests SET lease_until = now() + make_interval(secs => ?)
             WHERE id = ? AND lease_owner = ? AND status = 'running'
            """;

    static final String ADVANCE = """
            UPDATE rtbf_requests
               SET audit = audit || jsonb_build_object(?::text, ?::jsonb), step = ?,
                   lease_until = now() + make_interval(secs => ?)
             WHERE id = ? AND lease_owner = ? AND status = 'running' AND step = ?
            """;

    static final String RELEASE = """
            UPDATE rtbf_requests
               SET lease_owner = NULL, lease_until = ?, reason = ?, attempts = attempts + ?
             WHERE id = ? AND lease_owner = ? AND status = 'running'
            """;

    static final String FINISH = """
            UPDATE rtbf_requests
               SET status = ?, subject_id = ?, completed_at = ?, affected = ?, audit_package = ?, audit_signature = ?,
                   reason = ?, step = NULL, lease_owner = NULL, lease_until = NULL
             WHERE id = ? AND lease_owner = ? AND status = 'running'
            """;

    static final String OLDEST_PENDING = "SELECT min(requested_at) FROM rtbf_requests WHERE status IN ('queued', 'running')";

    @Resource(lookup = "jdbc/coherence")
    DataSource dataSource;

    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    public void insert(ErasureRequest r) {
        update(INSERT, ps -> {
            ps.setObject(1, r.id());
            ps.setString(2, r.tenant().value());
            ps.setString(3, r.subject());
            ps.setString(4, r.subjectSha256());
            ps.setString(5, lower(r.scope()));
            ps.setString(6, lower(r.status()));
            ps.setObject(7, utc(r.requestedAt()));
            ps.setObject(8, utc(r.completedAt()));
            ps.setString(9, r.reason());
            ps.setString(10, r.step() == null ? null : r.step().name());
        });
    }

    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    public Optional<ErasureRequest> find(TenantId tenant, UUID id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(FIND)) {
            ps.setString(1, tenant.value());
            ps.setObject(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(request(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<Claim> claim(String token, Duration lease) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setString(1, token);
            ps.setDouble(2, seconds(lease));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Claim(request(rs), token, findings(rs.getString("audit"))));
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public boolean renew(UUID id, String token, Duration lease) {
        return update(RENEW, ps -> {
            ps.setDouble(1, seconds(lease));
            ps.setObject(2, id);
            ps.setString(3, token);
        }) == 1;
    }

    @Override
    public boolean advance(UUID id, String token, ErasureStep done, String findingsJson, ErasureStep next, Duration lease) {
        return update(ADVANCE, ps -> {
            ps.setString(1, done.name());
            ps.setString(2, findingsJson);
            ps.setString(3, next.name());
            ps.setDouble(4, seconds(lease));
            ps.setObject(5, id);
            ps.setString(6, token);
            ps.setString(7, done.name());
        }) == 1;
    }

    @Override
    public void release(UUID id, String token, Instant retryAt, String note, boolean failed) {
        update(RELEASE, ps -> {
            ps.setObject(1, utc(retryAt));
            ps.setString(2, note);
            ps.setInt(3, failed ? 1 : 0);
            ps.setObject(4, id);
            ps.setString(5, token);
        });
    }

    @Override
    public boolean finish(ErasureRequest r, String token) {
        return update(FINISH, ps -> {
            ps.setString(1, lower(r.status()));
            ps.setString(2, r.subject());
            ps.setObject(3, utc(r.completedAt()));
            if (r.affected() == null) {
                ps.setNull(4, Types.BIGINT);
            } else {
                ps.setLong(4, r.affected());
            }
            ps.setString(5, r.auditPackage());
            ps.setString(6, r.auditSignature());
            ps.setString(7, r.reason());
            ps.setObject(8, r.id());
            ps.setString(9, token);
        }) == 1;
    }

    @Override
    public Optional<Instant> oldestPending() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(OLDEST_PENDING);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    static ErasureRequest request(ResultSet rs) throws SQLException {
        String step = rs.getString("step");
        long affected = rs.getLong("affected");
        Long affectedOrNull = rs.wasNull() ? null : affected;
        return new ErasureRequest(rs.getObject("id", UUID.class), TenantId.of(rs.getString("tenant_id")),
                rs.getString("subject_id"), rs.getString("subject_sha256"),
                ErasureScope.valueOf(rs.getString("scope").toUpperCase(Locale.ROOT)),
                ErasureStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                instant(rs, "requested_at"), instant(rs, "started_at"), instant(rs, "completed_at"), affectedOrNull,
                rs.getString("audit_package"), rs.getString("audit_signature"), rs.getString("reason"),
                step == null ? null : ErasureStep.valueOf(step), rs.getInt("attempts"));
    }

    /** The findings of finished steps, by step; keys that name no step are ignored. */
    static Map<ErasureStep, String> findings(String audit) {
        Map<ErasureStep, String> out = new EnumMap<>(ErasureStep.class);
        if (audit == null) {
            return out;
        }
        JsonObject object;
        try (JsonReader reader = Json.createReader(new StringReader(audit))) {
            object = reader.readObject();
        }
        for (Map.Entry<String, JsonValue> e : object.entrySet()) {
            for (ErasureStep step : ErasureStep.values()) {
                if (step.name().equals(e.getKey())) {
                    out.put(step, e.getValue().toString());
                }
            }
        }
        return out;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private int update(String sql, SqlUpdate.Binder binder) {
        return SqlUpdate.run(dataSource, sql, binder, PostgresErasureRequestStore::unavailable);
    }

    private static CoherenceException unavailable(SQLException e) {
        return new CoherenceException(ErrorCode.STORE_UNAVAILABLE,
                "the erasure queue is unavailable; nothing was changed, retry", List.of(), e);
    }
}
