/**
 * Use cases and their transaction boundaries. Depends on the domain only; adapters plug in through the domain's ports.
 */
package io.coherence.application;
