/**
 * Token buckets for the rate limits (Bucket4j): in this process, or in Redis (Redisson) where every
 * replica shares them, and the choice between the two.
 */
package io.coherence.infrastructure.ratelimit;
