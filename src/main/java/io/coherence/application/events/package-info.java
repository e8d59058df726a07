/**
 * Events that happened after a commit (SignalCommitted, ScoreChanged), the event bus port that
 * carries them between replicas, and the per-node dispatcher that fans them out to subscribers.
 */
package io.coherence.application.events;
