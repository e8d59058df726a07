/**
 * The one ingest path for HTTP, GraphQL and (later) Kafka: parse, validate, authorize, identify, group-commit, acknowledge.
 */
package io.coherence.application.ingest;
