/**
 * MicroProfile Health readiness and liveness checks, one per store.
 */
package io.coherence.interfaces.health;
