/**
 * Coherence signals, their idempotent identity (tenant, source, signal id, timestamp) and the SignalRepository port.
 */
package io.coherence.domain.signal;
