/**
 * Who may hold live subscriptions: connection and subscription admission, apart from any transport.
 */
package io.coherence.application.subscriptions;
