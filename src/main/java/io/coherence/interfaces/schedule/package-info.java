/**
 * EJB timers: the materializer's and the idempotency keys' (non-persistent, every replica) and
 * retention's (persistent, cluster-safe); each timeout is one application call.
 */
package io.coherence.interfaces.schedule;
