/**
 * MicroProfile GraphQL: the tenantCoherence query and publishCoherenceSignal mutation of the seed SDL.
 */
package io.coherence.interfaces.graphql;
