/**
 * Versioned schema migrations (Flyway for PostgreSQL, neo4j-migrations for Neo4j), applied at start-up.
 */
package io.coherence.infrastructure.migrations;
