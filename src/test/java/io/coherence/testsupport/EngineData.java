package io.coherence.testsupport;

/** What an embedded engine does with the data it finds in its directory at start. */
public enum EngineData {

    /** Wiped at start: each run begins empty (the tests, and {@code mvn -Pdev} without {@code -Ddata}). */
    THROWAWAY,

    /**
     * Reused: created the first time, opened again afterwards, written durably (fsync on), so a
     * stop or a crash loses nothing that was committed ({@code mvn -Pdev -Ddata=DIR}).
     */
    KEPT
}
