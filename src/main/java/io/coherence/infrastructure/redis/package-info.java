/**
 * Redis adapters: the JCache (Redisson) score cache.
 */
package io.coherence.infrastructure.redis;
