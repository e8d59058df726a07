/** Kafka ingest: the Reactive Messaging consumer of coherence.signals.v1, its dead-letter topic and replay. */
package io.coherence.interfaces.messaging;
