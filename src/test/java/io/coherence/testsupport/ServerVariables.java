package io.coherence.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Changes server.xml variables on the running test server the way an operator would: a file in
 * {@code configDropins/overrides}, named to sort after the stack's own {@code stack.xml} so that
 * it wins; closing it deletes the file and the stack's values apply again. Liberty notices both
 * within a second or two; callers poll for the effect.
 */
public final class ServerVariables implements AutoCloseable {

    private final Path file;

    private ServerVariables(Path file) {
        this.file = file;
    }

    public static ServerVariables set(String name, Map<String, String> variables) {
        StringBuilder xml = new StringBuilder("<server>\n");
        variables.forEach((k, v) -> xml.append("    <variable name=\"").append(k).append("\" value=\"").append(v)
                .append("\"/>\n"));
        xml.append("</server>\n");
        Path file = serverDir().resolve("configDropins/overrides/zz-" + name + ".xml");
        try {
            Files.writeString(file, xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ServerVariables(file);
    }

    public static Path serverDir() {
        return Path.of(System.getProperty("coherence.it.wlpHome")).resolve("usr/servers")
                .resolve(System.getProperty("coherence.it.serverName"));
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
