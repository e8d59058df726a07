package io.coherence.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Points a Liberty server at a stack by writing {@code configDropins/overrides/stack.xml}: one
 * {@code <variable>} per setting (server.xml variables are MicroProfile Config sources too).
 */
public final class LibertyOverrides {

    private LibertyOverrides() {
    }

    public static Path write(Path serverDir, Map<String, String> variables, String... extraFeatures) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<server>\n");
        if (extraFeatures.length > 0) {
            xml.append("    <featureManager>\n");
            for (String feature : extraFeatures) {
                xml.append("        <feature>").append(feature).append("</feature>\n");
            }
            xml.append("    </featureManager>\n");
        }
        variables.forEach((name, value) -> xml.append("    <variable name=\"").append(escape(name))
                .append("\" value=\"").append(escape(value)).append("\"/>\n"));
        xml.append("</server>\n");
        Path file = serverDir.resolve("configDropins/overrides/stack.xml");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * Gives the server's sockets a fixed send buffer of {@code bytes} (Linux doubles it) in
     * {@code configDropins/overrides/tcp-options.xml}, instead of the megabytes the kernel grows a
     * loopback socket's buffer to: a client that stops reading then blocks the server's writes
     * after a few kilobytes, so tests reach that state with little data.
     */
    public static Path withSendBuffer(Path serverDir, int bytes) {
        Path file = serverDir.resolve("configDropins/overrides/tcp-options.xml");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<server>\n"
                    + "    <tcpOptions id=\"defaultTCPOptions\" sendBufferSize=\"" + bytes + "\"/>\n</server>\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * Empties the server's copy of includes/application.xml: Arquillian declares the WAR it deploys
     * itself, under the same name, so the production declaration must not be there as well.
     */
    public static void withoutDeclaredApplication(Path serverDir) {
        try {
            Files.writeString(serverDir.resolve("includes/application.xml"),
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- The tests deploy the WAR through Arquillian. -->\n<server/>\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Attribute-safe, keeping newlines (a PEM key) as character references. */
    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\r", "").replace("\n", "&#10;");
    }
}
