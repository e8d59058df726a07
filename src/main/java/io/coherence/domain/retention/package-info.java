/**
 * Retention tiers and their cut-offs: how long a tenant's signals are kept.
 */
package io.coherence.domain.retention;
