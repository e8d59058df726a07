/**
 * Provenance attached to every write (provenance id, request hash, policy tags) and the rules of
 * the hash-chained provenance ledger.
 */
package io.coherence.domain.provenance;
