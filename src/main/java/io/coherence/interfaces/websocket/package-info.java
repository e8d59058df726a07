/**
 * The GraphQL subscription endpoint: graphql-transport-ws over Jakarta WebSocket, its protocol
 * state machine, the per-connection send queue, the sender threads shared out per tenant, and the
 * parsing of subscription documents against the schema /graphql serves.
 */
package io.coherence.interfaces.websocket;
