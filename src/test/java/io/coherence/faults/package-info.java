/**
 * The fault suite ({@code bash perf/faults.sh}): clients write and read while a store or the
 * server fails, every signal's fate is kept in a ledger, and the stores are checked afterwards
 * for lost, duplicated and indeterminate writes and for the time the service took to recover.
 */
package io.coherence.faults;
