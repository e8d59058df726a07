/**
 * The coherence domain in plain Java: no Jakarta APIs, no drivers. Everything else depends on it; it depends on nothing.
 */
package io.coherence.domain;
