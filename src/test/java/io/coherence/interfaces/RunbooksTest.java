package io.coherence.interfaces;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runbooks in docs/runbooks: every alert of the rules file has its page, with at least one
 * block that docs/runbooks/check.sh runs against a dev stack, and every page is in the index.
 */
class RunbooksTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", "."));
    private static final Path RUNBOOKS = ROOT.resolve("docs/runbooks");
    private static final Path RULES = ROOT.resolve("charts/coherence/files/prometheus-rules.yaml");
    /** A fence the checker runs: {@code ```sh check}, optionally with tags, as check.sh reads it. */
    private static final Pattern CHECKED = Pattern.compile("(?m)^[ \\t]*```sh check( [a-z ]+)?[ \\t]*$");
    private static final Pattern ALERT = Pattern.compile("(?m)^\\s*- alert:\\s*(\\S+)\\s*$");
    private static final Pattern HASH = Pattern.compile("\"sha256Hash\":\"([0-9a-f]{64})\"");

    private static Set<String> alerts() throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = ALERT.matcher(Files.readString(RULES));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static List<Path> pages() throws IOException {
        try (Stream<Path> files = Files.list(RUNBOOKS)) {
            return files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !p.getFileName().toString().equals("README.md"))
                    .sorted().toList();
        }
    }

    private static int checkedBlocks(String page) {
        return (int) CHECKED.matcher(page).results().count();
    }

    @Test
    void everyAlertHasItsPage() throws IOException {
        Set<String> alerts = alerts();
        assertThat(alerts).hasSize(15);
        for (String alert : alerts) {
            assertThat(RUNBOOKS.resolve(alert + ".md")).as("the runbook of " + alert).isRegularFile();
        }
    }

    @Test
    void everyAlertPageHasACheckedBlock() throws IOException {
        for (String alert : alerts()) {
            String page = Files.readString(RUNBOOKS.resolve(alert + ".md"));
            assertThat(checkedBlocks(page)).as(alert + ".md: blocks marked sh check").isPositive();
            assertThat(page).as(alert + ".md names its alert").startsWith("# " + alert + "\n");
        }
    }

    @Test
    void everyPageIsListedInTheIndex() throws IOException {
        String index = Files.readString(RUNBOOKS.resolve("README.md"));
        for (Path page : pages()) {
            assertThat(index).as("docs/runbooks/README.md lists " + page.getFileName())
                    .contains("(" + page.getFileName() + ")");
        }
        assertThat(index).contains("(restore-from-backup.md)");
    }

    @Test
    void everyCheckedBlockIsClosed() throws IOException {
        for (Path page : pages()) {
            boolean open = false;
            for (String line : Files.readString(page).split("\n")) {
                String fence = line.strip();
                if (!open && CHECKED.matcher(line).matches()) {
                    open = true;
                } else if (open && fence.startsWith("```")) {
                    assertThat(fence).as(page.getFileName() + ": a checked block ends with a bare fence").isEqualTo("```");
                    open = false;
                }
            }
            assertThat(open).as(page.getFileName() + ": the last checked block is closed").isFalse();
        }
    }

    /** The pages send registered documents by hash, so their commands run in strict mode too. */
    @Test
    void everyPersistedQueryHashIsRegistered() throws IOException {
        Set<String> registered = new TreeSet<>();
        JsonObject registry = Json.createReader(new StringReader(Files.readString(
                ROOT.resolve("src/main/resources/graphql/persisted-queries.json")))).readObject();
        for (JsonValue entry : registry.getJsonArray("queries")) {
            registered.add(entry.asJsonObject().getString("sha256"));
        }
        List<Path> all = new ArrayList<>(pages());
        all.add(RUNBOOKS.resolve("README.md"));
        int hashes = 0;
        for (Path page : all) {
            Matcher m = HASH.matcher(Files.readString(page));
            while (m.find()) {
                hashes++;
                assertThat(registered).as(page.getFileName() + " sends a registered document").contains(m.group(1));
            }
        }
        assertThat(hashes).isPositive();
    }
}
