/**
 * The policy enforcement point and the caller's identity as taken from the verified JWT.
 */
package io.coherence.application.security;
