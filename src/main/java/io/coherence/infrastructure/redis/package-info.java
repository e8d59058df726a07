/**
 * Redis adapters (Redisson): the JCache score cache, the pub/sub event bridge between replicas,
 * and the rate-limit buckets every replica shares.
 */
package io.coherence.infrastructure.redis;
