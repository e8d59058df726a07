/**
 * Access decisions: who asks (Caller), for what (Action) on which tenant, and the PolicyDecisionPoint port every entry point consults.
 */
package io.coherence.domain.policy;
