/**
 * The provenance ledger's use cases: verifying a tenant's chain and exporting it for a check
 * without the service, both for the tenant's own governors only.
 */
package io.coherence.application.provenance;
