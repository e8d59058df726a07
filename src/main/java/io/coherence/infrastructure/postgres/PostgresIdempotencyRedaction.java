package io.coherence.infrastructure.postgres;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.erasure.IdempotencyRedaction;
import io.coherence.domain.tenant.TenantId;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Redacts stored Idempotency-Key answers (db-migrations/postgres/V3): an ingest answer lists each
 * signal with its {@code signalId} and {@code provenanceId}; the entries of erased signals get
 * "erased" in both. The key, its request hash and status stay, so a retry is answered as before
 * (minus the names) instead of ingesting the erased signal again.
 */
@ApplicationScoped
public class PostgresIdempotencyRedaction implements IdempotencyRedaction {

    static final String ERASED = "erased";

    /** The tenant's answers naming any of the ids; locked until the rewrite commits. */
    static final String NAMING = """
            SELECT idem_key, response FROM idempotency_keys
             WHERE tenant_scope = ? AND response IS NOT NULL
               AND EXISTS (SELECT 1 FROM unnest(?::text[]) AS p(id) WHERE strpos(response, p.id) > 0)
             FOR UPDATE
            """;

    static final String REWRITE = "UPDATE idempotency_keys SET response = ? WHERE tenant_scope = ? AND idem_key = ?";

    static final String DELETE_TENANT = """
            DELETE FROM idempotency_keys WHERE (tenant_scope, idem_key) IN (
              SELECT tenant_scope, idem_key FROM idempotency_keys WHERE tenant_scope = ?
              LIMIT ? FOR UPDATE SKIP LOCKED)
            """;

    @Resource(lookup = "jdbc/coherence")
    DataSource dataSource;

    @Override
    public int redact(TenantId tenant, Collection<String> provenanceIds) {
        if (provenanceIds.isEmpty()) {
            return 0;
        }
        Set<String> ids = Set.copyOf(provenanceIds);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<String[]> rewrites = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(NAMING)) {
                    Array array = c.createArrayOf("text", ids.toArray());
                    ps.setString(1, tenant.value());
                    ps.setArray(2, array);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rewrites.add(new String[] {rs.getString(1), redacted(rs.getString(2), ids)});
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(REWRITE)) {
                    for (String[] rewrite : rewrites) {
                        ps.setString(1, rewrite[1]);
                        ps.setString(2, tenant.value());
                        ps.setString(3, rewrite[0]);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
                return rewrites.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public int deleteTenantKeys(TenantId tenant, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(DELETE_TENANT)) {
            ps.setString(1, tenant.value());
            ps.setInt(2, limit);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * The answer with every object whose provenanceId is one of the ids named "erased" in its
     * signalId and provenanceId; an answer that is not JSON has the ids replaced as text.
     */
    static String redacted(String response, Set<String> ids) {
        try (JsonReader reader = Json.createReader(new StringReader(response))) {
            return redacted(reader.readValue(), ids).toString();
        } catch (JsonParsingException e) {
            String out = response;
            for (String id : ids) {
                out = out.replace(id, ERASED);
            }
            return out;
        }
    }

    private static JsonValue redacted(JsonValue value, Set<String> ids) {
        if (value instanceof JsonObject object) {
            boolean erased = object.get("provenanceId") instanceof JsonString p && ids.contains(p.getString());
            JsonObjectBuilder out = Json.createObjectBuilder();
            for (Map.Entry<String, JsonValue> e : object.entrySet()) {
                boolean names = erased && (e.getKey().equals("provenanceId") || e.getKey().equals("signalId"));
                out.add(e.getKey(), names ? Json.createValue(ERASED) : redacted(e.getValue(), ids));
            }
            return out.build();
        }
        if (value.getValueType() == JsonValue.ValueType.ARRAY) {
            JsonArrayBuilder out = Json.createArrayBuilder();
            value.asJsonArray().forEach(v -> out.add(redacted(v, ids)));
            return out.build();
        }
        return value;
    }

    private static CoherenceException unavailable(SQLException e) {
        return new CoherenceException(ErrorCode.STORE_UNAVAILABLE,
                "the idempotency key store is unavailable; retried", List.of(), e);
    }
}
