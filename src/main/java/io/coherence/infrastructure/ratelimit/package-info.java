/**
 * Token buckets for the rate limits (Bucket4j) in this process, and the choice between them and
 * the Redis ones ({@code infrastructure.redis.RedisRateBuckets}) that every replica shares.
 */
package io.coherence.infrastructure.ratelimit;
