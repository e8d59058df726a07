/**
 * Redis adapters (Redisson): the JCache score cache and the pub/sub event bridge between replicas
 * (the shared rate-limit buckets are {@code infrastructure.ratelimit}'s).
 */
package io.coherence.infrastructure.redis;
