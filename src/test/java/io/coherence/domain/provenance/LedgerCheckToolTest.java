package io.coherence.domain.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline command (src/main/tools/LedgerCheck.java, run by the JDK's source launcher as an
 * operator would) agrees with the service's checker on a valid and on tampered exports.
 */
class LedgerCheckToolTest {

    @TempDir
    Path dir;

    private final LedgerChains chain = new LedgerChains("tenant-7").ingest(4).ingest(2)
            .add(LedgerAction.POLICY, "legalHold true", Sha256.hex("policy")).ingest(1);

    record Outcome(int exit, String out) {
    }

    private Outcome run(String export) throws IOException, InterruptedException {
        Path file = dir.resolve("ledger-" + System.nanoTime() + ".txt");
        Files.writeString(file, export, StandardCharsets.UTF_8);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "src/main/tools/LedgerCheck.java", file.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the tool ends").isTrue();
        return new Outcome(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }

    private static String expected(LedgerVerification v) {
        return "tenant tenant-7: " + v.entries() + " entries, "
                + (v.valid() ? "valid" : "broken at sequence " + v.firstBrokenSequence());
    }

    @Test
    void theToolAndTheServiceAgreeOnValidAndTamperedExports() throws Exception {
        List<StoredLedgerEntry> valid = chain.stored();
        StoredLedgerEntry third = valid.get(2);
        List<List<StoredLedgerEntry>> cases = new ArrayList<>();
        cases.add(valid);
        cases.add(replace(valid, 1, new StoredLedgerEntry("2", valid.get(1).at(), "INGEST", "signals 5-6 (2)",
                Sha256.hex("edited"), valid.get(1).prevHash(), valid.get(1).hash())));
        cases.add(replace(valid, 2, new StoredLedgerEntry(third.sequence(), third.at(), "NOT_AN_ACTION", third.summary(),
                third.digest(), third.prevHash(), third.hash())));
        cases.add(valid.subList(0, 3));

        for (List<StoredLedgerEntry> stored : cases) {
            LedgerVerification service = chain.check(stored);
            Outcome tool = run(chain.export(stored));

            assertThat(tool.out()).isEqualTo(expected(service));
            assertThat(tool.exit()).isEqualTo(service.valid() ? 0 : 1);
        }
        assertThat(chain.check(cases.get(0)).valid()).isTrue();
        assertThat(chain.check(cases.get(1)).firstBrokenSequence()).isEqualTo(2L);
        assertThat(chain.check(cases.get(2)).firstBrokenSequence()).isEqualTo(3L);
        assertThat(chain.check(cases.get(3)).firstBrokenSequence()).isEqualTo(4L);
    }

    @Test
    void aFileThatIsNoExportExitsWithTwo() throws Exception {
        assertThat(run("<html>not a ledger</html>\n").exit()).isEqualTo(2);
    }

    private static List<StoredLedgerEntry> replace(List<StoredLedgerEntry> entries, int index, StoredLedgerEntry with) {
        List<StoredLedgerEntry> copy = new ArrayList<>(entries);
        copy.set(index, with);
        return copy;
    }
}
