import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks an exported provenance ledger (GET /v1/coherence/ledger/{tenantId}) without the service:
 * JDK only, one file, the same rules as the service's LedgerChecker (docs/ledger.md).
 *
 *   java src/main/tools/LedgerCheck.java FILE     (FILE "-" reads standard input)
 *
 * Prints "tenant T: N entries, valid" (exit 0) or "tenant T: N entries, broken at sequence S"
 * (exit 1); exit 2 when the file is not an export.
 */
public class LedgerCheck {

    static final String GENESIS = "0".repeat(64);
    static final Set<String> ACTIONS = Set.of("INGEST", "RETENTION", "ERASURE", "POLICY");
    static final Pattern RANGE = Pattern.compile("signals (\\d{1,18})-(\\d{1,18}) \\((\\d{1,18})\\)( before the ledger)?");
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    String tenant;
    long entries;
    long expected = 1;
    String previousHash = GENESIS;
    Long firstBroken;
    long coveredTo;
    long lastIngest;

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java LedgerCheck.java FILE   (an export of GET /v1/coherence/ledger/{tenantId}; - for stdin)");
            System.exit(2);
        }
        BufferedReader in = args[0].equals("-")
                ? new BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8);
        LedgerCheck check = new LedgerCheck();
        Long head = null;
        String headHash = null;
        Long signals = null;
        int number = 0;
        try (in) {
            for (String line; (line = in.readLine()) != null; ) {
                number++;
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                List<String> f = fields(line);
                switch (f.get(0)) {
                    case "tenant" -> check.tenant = f.get(1);
                    case "head" -> {
                        head = Long.parseLong(f.get(1));
                        headHash = f.get(2);
                    }
                    case "signals" -> signals = Long.parseLong(f.get(1));
                    case "entry" -> {
                        if (check.tenant == null || f.size() != 8) {
                            throw new IllegalArgumentException("line " + number + ": an entry before the tenant line, or not 7 fields");
                        }
                        check.accept(f.subList(1, 8));
                    }
                    default -> throw new IllegalArgumentException("line " + number + ": unknown record " + f.get(0));
                }
            }
            if (check.tenant == null || head == null || signals == null) {
                throw new IllegalArgumentException("the tenant, head and signals lines are required");
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            System.err.println("not a ledger export: " + e.getMessage());
            System.exit(2);
        }
        check.finish(head, headHash, signals);
        if (check.firstBroken == null) {
            System.out.println("tenant " + check.tenant + ": " + check.entries + " entries, valid");
        } else {
            System.out.println("tenant " + check.tenant + ": " + check.entries + " entries, broken at sequence " + check.firstBroken);
            System.exit(1);
        }
    }

    /** One entry: sequence, at, action, summary, digest, prevHash, hash (null = missing). */
    void accept(List<String> e) {
        entries++;
        String seqText = e.get(0);
        Long sequence = seqText != null && !seqText.isEmpty() && seqText.length() <= 18 && seqText.chars().allMatch(c -> c >= '0' && c <= '9')
                ? Long.valueOf(seqText) : null;
        boolean readable = sequence != null && e.stream().allMatch(v -> v != null) && ACTIONS.contains(e.get(2)) && timeIsCanonical(e.get(1));
        if (!readable) {
            breakAt(sequence != null ? Math.min(sequence, expected) : expected);
            expected = (sequence != null ? sequence : expected) + 1;
            previousHash = e.get(6) == null ? "" : e.get(6);
            return;
        }
        String at = e.get(1), action = e.get(2), summary = e.get(3), digest = e.get(4), prev = e.get(5), hash = e.get(6);
        String computed = sha256(String.join("\n", prev, tenant, Long.toString(sequence), at, action, summary, digest));
        boolean broken = sequence != expected || !prev.equals(previousHash) || !hash.equals(computed);
        if (action.equals("INGEST")) {
            Matcher m = RANGE.matcher(summary);
            boolean parsed = m.matches();
            long first = parsed ? Long.parseLong(m.group(1)) : 0;
            long last = parsed ? Long.parseLong(m.group(2)) : 0;
            parsed = parsed && first >= 1 && last >= first && Long.parseLong(m.group(3)) == last - first + 1;
            boolean beforeLedger = parsed && m.group(4) != null;
            broken |= !parsed || first != coveredTo + 1 || beforeLedger && (coveredTo != 0 || !digest.equals(sha256("")));
            if (parsed) {
                coveredTo = last;
            }
            lastIngest = sequence;
        }
        if (broken) {
            breakAt(Math.min(sequence, expected));
        }
        expected = sequence + 1;
        previousHash = hash;
    }

    /** The head and the signal count the tenant recorded, against the chain read. */
    void finish(long head, String headHash, long signals) {
        long last = expected - 1;
        if (head < last) {
            breakAt(head + 1);
        } else if (head > last) {
            breakAt(expected);
        } else if (head > 0 && !previousHash.equals(headHash)) {
            breakAt(last);
        }
        if (coveredTo < signals) {
            breakAt(expected);
        } else if (coveredTo > signals) {
            breakAt(lastIngest);
        }
    }

    void breakAt(long sequence) {
        if (firstBroken == null) {
            firstBroken = sequence;
        }
    }

    static boolean timeIsCanonical(String at) {
        try {
            return TIME.format(Instant.parse(at).truncatedTo(ChronoUnit.MILLIS)).equals(at);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> fields(String line) {
        List<String> fields = new ArrayList<>(8);
        for (String raw : line.split("\t", -1)) {
            if (raw.equals("\\N")) {
                fields.add(null);
                continue;
            }
            StringBuilder out = new StringBuilder(raw.length());
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '\\' && i + 1 < raw.length()) {
                    char n = raw.charAt(++i);
                    out.append(n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n);
                } else {
                    out.append(c);
                }
            }
            fields.add(out.toString());
        }
        return fields;
    }
}
