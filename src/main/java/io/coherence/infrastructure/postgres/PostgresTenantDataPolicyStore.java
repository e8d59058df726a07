package io.coherence.infrastructure.postgres;

import io.coherence.domain.retention.RetentionTier;
import io.coherence.domain.tenant.TenantDataPolicy;
import io.coherence.domain.tenant.TenantDataPolicyStore;
import io.coherence.domain.tenant.TenantId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

/** The {@code tenant_data_policy} table (migration V5), behind a circuit breaker like the other adapters. */
@ApplicationScoped
public class PostgresTenantDataPolicyStore implements TenantDataPolicyStore {

    static final String COLUMNS = "tenant_id, retention_tier, purpose, license, residency, legal_hold, updated_at, version";

    static final String FIND = "SELECT " + COLUMNS + " FROM tenant_data_policy WHERE tenant_id = ?";

    static final String FIND_CHANGED = FIND + " AND version > 0";

    static final String FIND_ALL = "SELECT " + COLUMNS + " FROM tenant_data_policy WHERE version > 0";

    /** A first change starts from a row at version 0, so that concurrent first changes lock one row too. */
    static final String ENSURE = """
            INSERT INTO tenant_data_policy (tenant_id, retention_tier, purpose, license, residency, legal_hold, version, updated_by)
            VALUES (?, ?, ?, ?, ?, ?, 0, '')
            ON CONFLICT (tenant_id) DO NOTHING
            """;

    static final String LOCK = FIND + " FOR UPDATE";

    static final String UPDATE = """
            UPDATE tenant_data_policy
               SET retention_tier = ?, purpose = ?, license = ?, residency = ?, legal_hold = ?, updated_by = ?,
                   version = version + 1, updated_at = now()
             WHERE tenant_id = ?
            RETURNING\s""" + COLUMNS;

    /** Older than half a minute: a younger change is still being recorded by the request that made it. */
    static final String UNRECORDED = "SELECT " + COLUMNS + " FROM tenant_data_policy"
            + " WHERE ledger_version < version AND updated_at < now() - interval '30 seconds'";

    static final String RECORDED = "UPDATE tenant_data_policy SET ledger_version = ? WHERE tenant_id = ? AND ledger_version < ?";

    @Resource(lookup = "jdbc/coherence")
    DataSource dataSource;

    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    @WithSpan(value = "postgres find tenant data policy", kind = SpanKind.CLIENT)
    public Optional<TenantDataPolicy> find(TenantId tenant) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(FIND_CHANGED)) {
            ps.setString(1, tenant.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs).policy()) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the tenant's data policy failed", e);
        }
    }

    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    public List<TenantDataPolicy> findAll() {
        return list(FIND_ALL).stream().map(Versioned::policy).toList();
    }

    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    @WithSpan(value = "postgres update tenant data policy", kind = SpanKind.CLIENT)
    public Versioned update(TenantId tenant, TenantDataPolicy defaults, UnaryOperator<TenantDataPolicy> change,
                            String updatedBy) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(ENSURE)) {
                    bind(ps, defaults);
                    ps.executeUpdate();
                }
                TenantDataPolicy current;
                try (PreparedStatement ps = c.prepareStatement(LOCK)) {
                    ps.setString(1, tenant.value());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        Versioned stored = read(rs);
                        current = stored.version() == 0 ? defaults : stored.policy();
                    }
                }
                TenantDataPolicy next = change.apply(current);
                Versioned saved;
                try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                    ps.setString(1, next.tier().policyName());
                    ps.setString(2, next.purpose());
                    ps.setString(3, next.license());
                    ps.setString(4, next.residency());
                    ps.setBoolean(5, next.legalHold());
                    ps.setString(6, updatedBy);
                    ps.setString(7, tenant.value());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        saved = read(rs);
                    }
                }
                c.commit();
                return saved;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing the tenant's data policy failed", e);
        }
    }

    private static void bind(PreparedStatement ps, TenantDataPolicy p) throws SQLException {
        ps.setString(1, p.tenant().value());
        ps.setString(2, p.tier().policyName());
        ps.setString(3, p.purpose());
        ps.setString(4, p.license());
        ps.setString(5, p.residency());
        ps.setBoolean(6, p.legalHold());
    }

    @Override
    public List<Versioned> unrecorded() {
        return list(UNRECORDED);
    }

    @Override
    public void recorded(TenantId tenant, long version) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RECORDED)) {
            ps.setLong(1, version);
            ps.setString(2, tenant.value());
            ps.setLong(3, version);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("marking the policy change as recorded failed", e);
        }
    }

    private List<Versioned> list(String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            List<Versioned> policies = new ArrayList<>();
            while (rs.next()) {
                policies.add(read(rs));
            }
            return policies;
        } catch (SQLException e) {
            throw new IllegalStateException("reading tenant data policies failed", e);
        }
    }

    private static Versioned read(ResultSet rs) throws SQLException {
        return new Versioned(new TenantDataPolicy(TenantId.of(rs.getString(1)), RetentionTier.parse(rs.getString(2)),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getBoolean(6), rs.getTimestamp(7).toInstant()),
                rs.getLong(8));
    }
}
