/** Token verification outside the HTTP path, with the keys and rules the HTTP path uses. */
package io.coherence.infrastructure.crypto;
