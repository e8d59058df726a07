/**
 * Tenants' data policies: reading and changing them, and the per-replica snapshot every request path consults.
 */
package io.coherence.application.tenant;
