/**
 * MicroProfile GraphQL: the tenantCoherence query and publishCoherenceSignal mutation of the seed
 * SDL, and one thin API class per governance context (RetentionGraphQLApi: runRetention).
 */
package io.coherence.interfaces.graphql;
