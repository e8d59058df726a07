/** What every API request leaves behind for operators: its span (with the tenant) and one structured log line. */
package io.coherence.interfaces.telemetry;
