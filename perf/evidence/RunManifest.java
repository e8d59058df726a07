import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes {@code <evidence>/provenance/run_manifest.json}: the SHA-256 of every input of the run
 * (each file git tracks, plus the built WAR) and of every output (each file under the evidence
 * directory but the manifest itself), with the commit, the time and the Java that ran it.
 *
 *   java perf/evidence/RunManifest.java <repo-root> <evidence-dir> <commit> <inputs-listing-file>
 *
 * The listing holds one repository-relative path per line (git ls-files writes it).
 */
public class RunManifest {

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toAbsolutePath().normalize();
        Path evidence = Path.of(args[1]).toAbsolutePath().normalize();
        String commit = args[2];
        List<String> inputs = new ArrayList<>(Files.readAllLines(Path.of(args[3])));
        if (Files.isRegularFile(root.resolve("target/coherence.war"))) {
            inputs.add("target/coherence.war");
        }
        Path manifest = evidence.resolve("provenance/run_manifest.json");
        List<String> outputs;
        try (Stream<Path> files = Files.walk(evidence)) {
            outputs = files.filter(Files::isRegularFile).filter(p -> !p.equals(manifest))
                    .map(p -> evidence.relativize(p).toString()).sorted().toList();
        }
        StringBuilder json = new StringBuilder();
        json.append("{\n  \"commit\": ").append(quote(commit))
                .append(",\n  \"generatedAt\": ").append(quote(Instant.now().toString()))
                .append(",\n  \"java\": ").append(quote(System.getProperty("java.vendor") + " " + System.getProperty("java.version")))
                .append(",\n  \"inputs\": [");
        entries(json, root, inputs.stream().filter(p -> !p.isBlank()).sorted().toList());
        json.append("\n  ],\n  \"outputs\": [");
        entries(json, evidence, outputs);
        json.append("\n  ]\n}\n");
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, json);
        System.out.println("run manifest: " + inputs.size() + " inputs, " + outputs.size() + " outputs -> " + root.relativize(manifest));
    }

    private static void entries(StringBuilder json, Path base, List<String> paths) throws IOException {
        String separator = "";
        for (String path : paths) {
            Path file = base.resolve(path);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            json.append(separator).append("\n    {\"path\": ").append(quote(path))
                    .append(", \"bytes\": ").append(Files.size(file))
                    .append(", \"sha256\": ").append(quote(sha256(file))).append('}');
            separator = ",";
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
