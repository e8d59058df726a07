/**
 * Rate limits: a global request rate (CONDUCTOR_RPS_MAX), a request rate per tenant and a signal
 * rate per tenant for ingest, as token buckets kept in-process or, with Redis, shared by replicas.
 */
package io.coherence.application.limits;
