/**
 * Provenance attached to every write: provenance id, request hash and policy tags.
 */
package io.coherence.domain.provenance;
