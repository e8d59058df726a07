/**
 * Neo4j adapters: the driver, group-committed signal writes, window aggregates and the score projection in the graph.
 */
package io.coherence.infrastructure.neo4j;
