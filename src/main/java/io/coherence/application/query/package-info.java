/**
 * The read side: tenantCoherence from cache, then PostgreSQL; never the graph.
 */
package io.coherence.application.query;
