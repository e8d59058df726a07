/**
 * Materialization of scores: recompute tenants with new or ageing signals and publish them to PostgreSQL, the graph and the cache.
 */
package io.coherence.application.scoring;
