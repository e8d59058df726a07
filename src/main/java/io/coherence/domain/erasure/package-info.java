/**
 * Erasure (right to be forgotten): requests, their states, and the signed audit of what was erased.
 */
package io.coherence.domain.erasure;
