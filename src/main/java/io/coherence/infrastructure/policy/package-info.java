/**
 * Policy decision point engines; the embedded engine evaluates the tenant/scope rules in-process.
 */
package io.coherence.infrastructure.policy;
