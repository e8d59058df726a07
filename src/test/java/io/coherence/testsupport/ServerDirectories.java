package io.coherence.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/** Copies of a Liberty server's directory, for further servers on the same engines. */
public final class ServerDirectories {

    private ServerDirectories() {
    }

    /**
     * Replaces {@code to} with a copy of {@code from} without any file or directory whose name is in
     * {@code notCopied}, at any depth (logs, work area, transaction log, a lock, an expanded WAR).
     * Files are copied as the walk meets them, so a directory always exists before its files.
     */
    public static Path copy(Path from, Path to, Set<String> notCopied) {
        EmbeddedEngines.deleteRecursively(to);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(source);
                if (relative.toString().isEmpty() || excluded(relative, notCopied)) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    private static boolean excluded(Path relative, Set<String> notCopied) {
        for (Path part : relative) {
            if (notCopied.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }
}
