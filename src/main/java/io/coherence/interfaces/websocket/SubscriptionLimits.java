package io.coherence.interfaces.websocket;

import java.time.Duration;

/**
 * The endpoint's limits: how long a client has to send connection_init, subscriptions per
 * connection, connections per tenant on one replica, events queued per connection, how long a
 * full queue is tolerated before the connection is closed, how long one frame may take to be
 * written, and the largest message accepted.
 */
record SubscriptionLimits(Duration initTimeout, int subscriptionsPerConnection, int connectionsPerTenant,
                          int sendQueue, Duration slowConsumerGrace, Duration sendTimeout, int maxMessageBytes) {
}
