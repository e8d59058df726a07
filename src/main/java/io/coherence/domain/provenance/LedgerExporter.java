package io.coherence.domain.provenance;

import io.coherence.domain.tenant.TenantId;
import java.io.IOException;
import java.io.Writer;

/** Writes a tenant's ledger as stored, in {@link LedgerExport}'s format, for a check without the service. */
public interface LedgerExporter {

    void export(TenantId tenant, Writer out) throws IOException;
}
