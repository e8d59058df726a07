/**
 * The workbench page at /workbench/: static files in the WAR, served only when
 * COHERENCE_WORKBENCH_ENABLED is true, with a content security policy that keeps it to this server.
 */
package io.coherence.interfaces.workbench;
