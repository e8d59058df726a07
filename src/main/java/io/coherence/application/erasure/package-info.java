/**
 * Erasure use cases: queueing a request (authorized, validated, refused under legal hold) and the
 * worker that carries it out store by store, then signs the audit package.
 */
package io.coherence.application.erasure;
