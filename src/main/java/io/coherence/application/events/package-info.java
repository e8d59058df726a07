/**
 * Events that happened after a commit (SignalCommitted, ScoreChanged, ScoreRemoved), the event bus
 * port that carries them between replicas, and the per-node dispatcher that fans them out to
 * subscribers and to this node's listeners of every tenant (the near score cache).
 */
package io.coherence.application.events;
