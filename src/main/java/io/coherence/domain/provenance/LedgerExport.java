package io.coherence.domain.provenance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The text form of a tenant's ledger that an offline check reads (src/main/tools/LedgerCheck.java
 * implements the same rules with the JDK alone). UTF-8, one record per line, fields separated by
 * TAB, {@code \\}, TAB, LF and CR inside a field escaped as {@code \\\\ \\t \\n \\r}, a missing
 * field as {@code \\N}; lines starting with {@code #} are comments:
 * <pre>
 * # coherence provenance ledger v1
 * tenant  TENANT_ID
 * head    SEQUENCE  HASH            (the tenant's own record of its last entry; 0 \N when none)
 * signals SIGNAL_VERSION            (signals the tenant has created, which the INGEST ranges cover)
 * entry   SEQUENCE AT ACTION SUMMARY DIGEST PREV_HASH HASH   (one per entry, in sequence order)
 * </pre>
 */
public final class LedgerExport {

    public static final String FIRST_LINE = "# coherence provenance ledger v1";

    private LedgerExport() {
    }

    /** The lines before the entries. */
    public static String header(String tenantId, long headSequence, String headHash, long signalVersion) {
        return FIRST_LINE + "\n"
                + "tenant\t" + escape(tenantId) + "\n"
                + "head\t" + headSequence + "\t" + escape(headHash) + "\n"
                + "signals\t" + signalVersion + "\n";
    }

    public static String line(StoredLedgerEntry e) {
        return String.join("\t", "entry", escape(e.sequence()), escape(e.at()), escape(e.action()), escape(e.summary()),
                escape(e.digest()), escape(e.prevHash()), escape(e.hash())) + "\n";
    }

    /**
     * Checks an export exactly as the service checks the stored chain.
     *
     * @throws IllegalArgumentException when the text is not an export (no tenant, head or signals line)
     */
    public static LedgerVerification check(BufferedReader in) {
        try {
            LedgerChecker checker = null;
            Long headSequence = null;
            String headHash = null;
            Long signals = null;
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                List<String> f = fields(line);
                switch (f.get(0)) {
                    case "tenant" -> checker = new LedgerChecker(f.get(1));
                    case "head" -> {
                        headSequence = Long.parseLong(f.get(1));
                        headHash = f.get(2);
                    }
                    case "signals" -> signals = Long.parseLong(f.get(1));
                    case "entry" -> {
                        if (checker == null || f.size() != 8) {
                            throw new IllegalArgumentException("line " + number + ": an entry before the tenant line, or not 7 fields");
                        }
                        checker.accept(new StoredLedgerEntry(f.get(1), f.get(2), f.get(3), f.get(4), f.get(5), f.get(6), f.get(7)));
                    }
                    default -> throw new IllegalArgumentException("line " + number + ": unknown record " + f.get(0));
                }
            }
            if (checker == null || headSequence == null || signals == null) {
                throw new IllegalArgumentException("not a ledger export: the tenant, head and signals lines are required");
            }
            return checker.result(headSequence, headHash, signals);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            throw new IllegalArgumentException("not a ledger export: " + e.getMessage(), e);
        }
    }

    static String escape(String field) {
        if (field == null) {
            return "\\N";
        }
        StringBuilder out = new StringBuilder(field.length() + 8);
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static List<String> fields(String line) {
        List<String> fields = new ArrayList<>(8);
        for (String raw : line.split("\t", -1)) {
            fields.add(unescape(raw));
        }
        return fields;
    }

    static String unescape(String raw) {
        if (raw.equals("\\N")) {
            return null;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char n = raw.charAt(++i);
                out.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
