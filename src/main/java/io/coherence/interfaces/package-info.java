/**
 * Inbound adapters. Each is a thin call into the application layer.
 */
package io.coherence.interfaces;
