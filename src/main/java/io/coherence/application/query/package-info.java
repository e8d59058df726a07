/**
 * The read side: tenantCoherence from cache (this replica's near layer, then the shared cache),
 * then PostgreSQL; the signal graph only while PostgreSQL is unavailable, and then the answer says
 * it is degraded.
 */
package io.coherence.application.query;
