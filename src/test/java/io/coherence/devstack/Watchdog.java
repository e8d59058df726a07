package io.coherence.devstack;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * A small shell that outlives the launcher: when the launcher dies without stopping what it started
 * (kill -9, a JVM crash), the pipe to the shell closes and the shell stops those processes itself,
 * newest first (Liberty, then Redis and PostgreSQL), each with its own clean-shutdown signal and,
 * after 20 s, KILL. Neo4j and Kafka run inside the launcher, so they die with it and recover from
 * their logs at the next start. A stopped launcher kills the shell first, so it does nothing.
 */
final class Watchdog implements AutoCloseable {

    // Ctrl-C reaches the whole process group; the shell ignores it and waits for the pipe to close.
    private static final String SCRIPT = String.join("\n",
            "trap '' INT TERM HUP",
            "todo=''",
            "while read -r entry; do todo=\"$entry $todo\"; done",
            "[ -z \"$todo\" ] && exit 0",
            "echo \"[devstack] the launcher died; stopping what it left running (signal:pid $todo)\"",
            "for entry in $todo; do",
            "  sig=${entry%%:*}; pid=${entry#*:}",
            "  kill -s \"$sig\" \"$pid\" 2>/dev/null || continue",
            "  n=0",
            "  while kill -0 \"$pid\" 2>/dev/null && [ $n -lt 20 ]; do sleep 1; n=$((n + 1)); done",
            "  kill -0 \"$pid\" 2>/dev/null && kill -s KILL \"$pid\"",
            "done",
            "echo '[devstack] stopped'");

    private final Process shell;
    private final Writer pipe;

    private Watchdog(Process shell) {
        this.shell = shell;
        this.pipe = new OutputStreamWriter(shell.getOutputStream(), StandardCharsets.US_ASCII);
    }

    static Watchdog start() throws IOException {
        return new Watchdog(new ProcessBuilder("sh", "-c", SCRIPT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start());
    }

    /** Has the shell stop {@code pid} with {@code signal} (INT, TERM) should the launcher die. */
    synchronized void watch(long pid, String signal) {
        try {
            pipe.write(signal + ":" + pid + "\n");
            pipe.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the watchdog is gone", e);
        }
    }

    /** The launcher stopped everything itself: the shell goes without doing anything. */
    @Override
    public void close() {
        shell.destroyForcibly();
    }
}
