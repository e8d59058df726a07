/**
 * Tenant id and the tenant's data policy (retention tier, purpose, licence, residency, legal hold).
 */
package io.coherence.domain.tenant;
