package io.coherence.interfaces.telemetry;

import com.ibm.websphere.logging.hpel.LogRecordContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One log line per API operation, on the logger {@code io.coherence.operations}. Each field is a
 * Liberty log-record extension, so the JSON log carries it as its own key ({@code ext_tenant_id},
 * {@code ext_op}, {@code ext_latency_ms}, {@code ext_status}, {@code ext_error_code},
 * {@code ext_provenance_id}, {@code ext_trace_id}); the message repeats them for plain-text logs.
 * Tokens and request bodies are never among them.
 */
public final class OperationLog {

    static final Logger LOG = Logger.getLogger("io.coherence.operations");

    private OperationLog() {
    }

    /** The fields of one operation, in the order the message shows them; null values are left out. */
    public static void write(Map<String, String> fields) {
        if (!LOG.isLoggable(Level.INFO)) {
            return;
        }
        Map<String, String> present = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                present.put(k, v);
            }
        });
        StringBuilder message = new StringBuilder("operation");
        present.forEach((k, v) -> message.append(' ').append(k).append('=').append(v));
        present.forEach(LogRecordContext::addExtension);
        try {
            LOG.info(message.toString());
        } finally {
            present.keySet().forEach(LogRecordContext::removeExtension);
        }
    }
}
