/**
 * Token verification outside the HTTP path, with the keys and rules the HTTP path uses; the key that
 * signs erasure audit packages and its published public half.
 */
package io.coherence.infrastructure.crypto;
