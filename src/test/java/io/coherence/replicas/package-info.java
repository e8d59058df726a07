/**
 * Several Liberty servers of the WAR on the same embedded engines, as a deployment runs replicas:
 * what must hold across them (events, the materializer's lock, rate limits, persisted queries,
 * idempotency keys, the feature flag), tested on the real servers.
 */
package io.coherence.replicas;
