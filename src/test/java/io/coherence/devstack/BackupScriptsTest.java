package io.coherence.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single box's backup and restore commands (src/main/tools/backup.sh, restore.sh) on a data
 * directory laid out as the dev stack keeps it: a round trip keeps every file but the lock, and each
 * refusal (not a data directory, a running stack, a non-empty target, an archive that does not
 * match its checksum) says why and changes nothing. perf/dr-drill.sh runs them on real engines.
 */
class BackupScriptsTest {

    private static final Path TOOLS = Path.of(System.getProperty("basedir", ".")).resolve("src/main/tools");

    private record Run(int exit, String output) {
    }

    @TempDir
    Path temp;

    private Path data;

    @BeforeEach
    void dataDirectory() throws IOException {
        data = temp.resolve("data");
        write(data.resolve("postgres/data/PG_VERSION"), "17\n");
        write(data.resolve("postgres/data/base/1/1259"), "pages");
        write(data.resolve("neo4j/data/databases/neo4j/neostore"), "store");
        write(data.resolve("redis/appendonly.aof"), "*1\r\n");
        write(data.resolve("keys/jwt-private.pem"), "-----BEGIN PRIVATE KEY-----\n");
        write(data.resolve("fixtures.loaded"), "");
        write(data.resolve("engines.lock"), "");
    }

    @Test
    void aRoundTripKeepsEveryFileButTheLock() throws Exception {
        Path archive = temp.resolve("backups/b.tgz");
        Files.createDirectories(archive.getParent());

        Run backup = run("backup.sh", data.toString(), archive.toString());
        assertThat(backup.exit()).as(backup.output()).isZero();
        assertThat(archive).exists();
        assertThat(Files.readString(Path.of(archive + ".sha256"))).contains("b.tgz");

        Path restored = temp.resolve("restored");
        Run restore = run("restore.sh", archive.toString(), restored.toString());
        assertThat(restore.exit()).as(restore.output()).isZero();
        Map<String, String> expected = files(data);
        expected.remove("engines.lock");
        assertThat(files(restored)).isEqualTo(expected);
    }

    @Test
    void aDirectoryThatHoldsNoEnginesIsNotBackedUp() throws Exception {
        Path archive = temp.resolve("b.tgz");

        Run backup = run("backup.sh", temp.resolve("elsewhere").toString(), archive.toString());

        assertThat(backup.exit()).isEqualTo(2);
        assertThat(backup.output()).contains("is not a Coherence data directory");
        assertThat(archive).doesNotExist();
    }

    @Test
    void aRunningStackIsNotBackedUp() throws Exception {
        // A live PostgreSQL process id in postmaster.pid: this JVM's stands in for it.
        write(data.resolve("postgres/data/postmaster.pid"), ProcessHandle.current().pid() + "\n" + data + "\n");
        Path archive = temp.resolve("b.tgz");

        Run backup = run("backup.sh", data.toString(), archive.toString());

        assertThat(backup.exit()).isEqualTo(3);
        assertThat(backup.output()).contains("is running").contains("stop it, then back up");
        assertThat(archive).doesNotExist();
        assertThat(Path.of(archive + ".partial")).doesNotExist();
    }

    @Test
    void aStalePidFileLeftByACrashDoesNotStopTheBackup() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        write(data.resolve("postgres/data/postmaster.pid"), gone.pid() + "\n");

        Run backup = run("backup.sh", data.toString(), temp.resolve("b.tgz").toString());

        assertThat(backup.exit()).as(backup.output()).isZero();
    }

    @Test
    void aNonEmptyTargetIsNotRestoredInto() throws Exception {
        Path archive = temp.resolve("b.tgz");
        assertThat(run("backup.sh", data.toString(), archive.toString()).exit()).isZero();
        Path target = temp.resolve("target");
        write(target.resolve("postgres/data/PG_VERSION"), "newer\n");

        Run restore = run("restore.sh", archive.toString(), target.toString());

        assertThat(restore.exit()).isEqualTo(3);
        assertThat(restore.output()).contains("is not empty");
        assertThat(files(target)).containsExactly(Map.entry("postgres/data/PG_VERSION", "newer\n"));
    }

    @Test
    void anArchiveThatDoesNotMatchItsChecksumIsNotRestored() throws Exception {
        Path archive = temp.resolve("b.tgz");
        assertThat(run("backup.sh", data.toString(), archive.toString()).exit()).isZero();
        byte[] bytes = Files.readAllBytes(archive);
        bytes[bytes.length / 2] ^= 1;
        Files.write(archive, bytes);
        Path target = temp.resolve("target");

        Run restore = run("restore.sh", archive.toString(), target.toString());

        assertThat(restore.exit()).isEqualTo(4);
        assertThat(restore.output()).contains("does not match");
        assertThat(target).doesNotExist();
    }

    private Run run(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", TOOLS.resolve(script).toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the script ends").isTrue();
        return new Run(process.exitValue(), output);
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** Every regular file under dir, by relative path, with its content. */
    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(file).toString(), Files.readString(file));
            }
        }
        return files;
    }
}
