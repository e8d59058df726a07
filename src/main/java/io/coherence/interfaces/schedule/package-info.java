/**
 * Persistent EJB timers; each timeout is one application call.
 */
package io.coherence.interfaces.schedule;
