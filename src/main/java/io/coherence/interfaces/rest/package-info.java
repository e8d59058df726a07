/**
 * JAX-RS: push ingest at /v1/coherence/signals, its DTOs and the error mapping at the edge.
 */
package io.coherence.interfaces.rest;
