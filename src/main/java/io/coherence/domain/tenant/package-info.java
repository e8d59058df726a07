/**
 * Tenant identity.
 */
package io.coherence.domain.tenant;
