/**
 * Adapters that implement the domain and application ports against real engines.
 */
package io.coherence.infrastructure;
