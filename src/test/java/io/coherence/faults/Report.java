package io.coherence.faults;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints each fault's account and the summary table, and writes summary.json. */
final class Report {

    private Report() {
    }

    static void block(PrintStream out, FaultResult r) {
        out.println();
        out.println("== Fault " + r.fault().number + ": " + r.fault().title);
        out.printf(Locale.ROOT, "   outage %.1f s%s; tenants %s (HTTP), %s (Kafka)%n", r.outageSeconds(),
                r.recovery().restartSeconds() > 0 ? String.format(Locale.ROOT, " (Liberty restart %.1f s)",
                        r.recovery().restartSeconds()) : "", r.httpTenant(), r.kafkaTenant());
        out.println("   signals        attempted  acknowledged  lost  duplicated  indeterminate  failed  refused");
        account(out, "HTTP", r.http());
        account(out, "Kafka", r.kafka());
        out.printf(Locale.ROOT, "   HTTP requests %d, answers replayed from their Idempotency-Key %d%n", r.httpRequests(), r.replays());
        out.println("   write answers  " + answers(r.writeAnswers()));
        out.println("   read answers   " + answers(r.readAnswers()));
        out.println("   bridge events  " + answers(r.bridgeEvents()));
        score(out, "HTTP", r.httpScore());
        score(out, "Kafka", r.kafkaScore());
        ledgers(out, r.ledgers());
        FaultResult.Recovery rc = r.recovery();
        out.printf(Locale.ROOT, "   recovery (s after the return): first 202 %s, last write error %s, first read ok %s,"
                        + " last read not ok %s, Kafka caught up %s, first score written %s, score caught up %s,"
                        + " bridge event %s -> %s%n",
                s(rc.firstWriteOk()), s(rc.lastWriteError()), s(rc.firstReadOk()), s(rc.lastReadNotOk()),
                s(rc.kafkaCaughtUp()), s(rc.materializerBack()), s(rc.scoreCaughtUp()), s(rc.bridgeBack()),
                rc.reached() ? String.format(Locale.ROOT, "%.1f s", rc.total()) : "not recovered");
        if (r.unexpectedErrors() > 0) {
            out.println("   unexpected errors " + r.unexpectedErrors() + ": " + String.join("; ", r.unexpected()));
        }
        if (!r.metrics().isEmpty()) {
            out.println("   metrics " + (r.fault().store == null ? "(the restarted server)" : "(change)") + "  "
                    + answers(r.metrics()));
        }
        r.notes().forEach(n -> out.println("   note: " + n));
        r.failures().forEach(f -> out.println("   FAILED: " + f));
        r.goalMisses().forEach(m -> out.println("   goal missed: " + m));
    }

    static void table(PrintStream out, List<FaultResult> results) {
        out.println();
        out.println("| fault | attempted | acknowledged | lost | duplicated | indeterminate | error answers (unexpected) | recovery s | goal |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (FaultResult r : results) {
            long errors = r.writeAnswers().entrySet().stream().filter(e -> !e.getKey().equals("OK"))
                    .mapToLong(Map.Entry::getValue).sum()
                    + r.readAnswers().entrySet().stream().filter(e -> !e.getKey().equals("OK") && !e.getKey().startsWith("DEGRADED"))
                    .mapToLong(Map.Entry::getValue).sum();
            out.printf(Locale.ROOT, "| %d %s | %d | %d | %d | %d | %d | %d (%d) | %s | %s |%n", r.fault().number,
                    shortName(r.fault()), r.http().attempted() + r.kafka().attempted(),
                    r.http().acknowledged() + r.kafka().acknowledged(), r.lost(), r.duplicated(),
                    r.http().indeterminate() + r.kafka().indeterminate(), errors, r.unexpectedErrors(),
                    r.recovery().reached() ? String.format(Locale.ROOT, "%.1f", r.recovery().total()) : "not recovered",
                    !r.failures().isEmpty() ? "FAILED" : r.goalMisses().isEmpty() ? "met" : "missed");
        }
    }

    static void writeJson(Path file, List<FaultResult> results, String commandLine) throws IOException {
        JsonArrayBuilder faults = Json.createArrayBuilder();
        for (FaultResult r : results) {
            FaultResult.Recovery rc = r.recovery();
            faults.add(Json.createObjectBuilder()
                    .add("fault", r.fault().number)
                    .add("title", r.fault().title)
                    .add("outageSeconds", r.outageSeconds())
                    .add("http", account(r.http()))
                    .add("kafka", account(r.kafka()))
                    .add("httpRequests", r.httpRequests())
                    .add("replays", r.replays())
                    .add("writeAnswers", map(r.writeAnswers()))
                    .add("readAnswers", map(r.readAnswers()))
                    .add("bridgeEvents", map(r.bridgeEvents()))
                    .add("unexpectedErrors", r.unexpectedErrors())
                    .add("httpScore", score(r.httpScore()))
                    .add("kafkaScore", score(r.kafkaScore()))
                    .add("recovery", Json.createObjectBuilder()
                            .add("restartSeconds", rc.restartSeconds())
                            .add("firstWriteOk", num(rc.firstWriteOk()))
                            .add("lastWriteError", num(rc.lastWriteError()))
                            .add("firstReadOk", num(rc.firstReadOk()))
                            .add("lastReadNotOk", num(rc.lastReadNotOk()))
                            .add("kafkaCaughtUp", num(rc.kafkaCaughtUp()))
                            .add("scoreCaughtUp", num(rc.scoreCaughtUp()))
                            .add("materializerBack", num(rc.materializerBack()))
                            .add("bridgeBack", num(rc.bridgeBack()))
                            .add("reached", rc.reached())
                            .add("seconds", rc.total()))
                    .add("ledgers", ledgers(r.ledgers()))
                    .add("metrics", Json.createObjectBuilder(Map.copyOf(r.metrics())))
                    .add("notes", Json.createArrayBuilder(r.notes()))
                    .add("failures", Json.createArrayBuilder(r.failures()))
                    .add("goalMisses", Json.createArrayBuilder(r.goalMisses())));
        }
        JsonObject summary = Json.createObjectBuilder()
                .add("command", commandLine)
                .add("passed", results.stream().allMatch(r -> r.failures().isEmpty()))
                .add("faults", faults).build();
        StringWriter text = new StringWriter();
        Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(text).write(summary);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text + "\n");
    }

    private static void account(PrintStream out, String channel, LedgerCheck.Account a) {
        out.printf(Locale.ROOT, "   %-13s %10d %13d %5d %11d %14d %7d %8d%n", channel, a.attempted(), a.acknowledged(), a.lost(),
                a.duplicated(), a.indeterminate(), a.failed(), a.refused());
    }

    private static void score(PrintStream out, String channel, FaultResult.ScoreCheck s) {
        out.printf(Locale.ROOT, "   score %-6s materialized %s, expected %s (%s), scored at version %d; signal_version %d,"
                        + " EMITS %d, for %d distinct signals in %d nodes%s%n",
                channel, s.materialized(), s.expected(), s.scoreOk() ? "equal" : "DIFFERENT", s.scoredVersion(),
                s.signalVersion(), s.emits(), s.distinctStored(), s.storedRows(), s.countsOk() ? "" : " (COUNTED TWICE)");
    }

    private static void ledgers(PrintStream out, List<ProvenanceAudit> ledgers) {
        long broken = ledgers.stream().filter(l -> !l.ok()).count();
        out.printf(Locale.ROOT, "   ledgers        %d tenants, %d entries covering %d stored signals: %s%n", ledgers.size(),
                ledgers.stream().mapToLong(ProvenanceAudit::entries).sum(), ledgers.stream().mapToLong(ProvenanceAudit::stored).sum(),
                broken == 0 ? "every chain valid, every signal covered" : broken + " BROKEN");
        for (ProvenanceAudit l : ledgers) {
            if (l.tenant().endsWith("-http") || l.tenant().endsWith("-kafka") || !l.ok()) {
                out.println("     " + l.describe());
            }
        }
    }

    private static JsonArrayBuilder ledgers(List<ProvenanceAudit> ledgers) {
        JsonArrayBuilder all = Json.createArrayBuilder();
        for (ProvenanceAudit l : ledgers) {
            all.add(Json.createObjectBuilder()
                    .add("tenant", l.tenant())
                    .add("entries", l.entries())
                    .add("valid", l.valid())
                    .add("firstBrokenSequence", l.firstBroken() == null ? jakarta.json.JsonValue.NULL : Json.createValue(l.firstBroken()))
                    .add("signalVersion", l.signalVersion())
                    .add("stored", l.stored())
                    .add("distinctSequences", l.distinctSequences())
                    .add("outside", l.outside())
                    .add("ok", l.ok()));
        }
        return all;
    }

    private static JsonObjectBuilder account(LedgerCheck.Account a) {
        return Json.createObjectBuilder()
                .add("attempted", a.attempted())
                .add("acknowledged", a.acknowledged())
                .add("lost", a.lost())
                .add("duplicated", a.duplicated())
                .add("indeterminate", a.indeterminate())
                .add("failed", a.failed())
                .add("refused", a.refused())
                .add("unknown", a.unknown())
                .add("valueMismatches", a.valueMismatches())
                .add("storedRows", a.storedRows());
    }

    private static JsonObjectBuilder score(FaultResult.ScoreCheck s) {
        return Json.createObjectBuilder()
                .add("expected", s.expected() == null ? "" : s.expected().toPlainString())
                .add("materialized", s.materialized() == null ? "" : s.materialized().toPlainString())
                .add("scoreOk", s.scoreOk())
                .add("signalVersion", s.signalVersion())
                .add("scoredVersion", s.scoredVersion())
                .add("emits", s.emits())
                .add("distinctStored", s.distinctStored())
                .add("countsOk", s.countsOk());
    }

    private static JsonObjectBuilder map(Map<String, Long> counts) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        counts.forEach(b::add);
        return b;
    }

    private static jakarta.json.JsonValue num(Double d) {
        return d == null ? jakarta.json.JsonValue.NULL : Json.createValue(BigDecimal.valueOf(d).setScale(3, java.math.RoundingMode.HALF_UP));
    }

    private static String answers(Map<String, ? extends Number> counts) {
        StringBuilder b = new StringBuilder();
        counts.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(" x")
                .append(v instanceof Double d ? String.format(Locale.ROOT, "%.0f", d) : v.toString()));
        return b.length() == 0 ? "-" : b.toString();
    }

    private static String s(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.1f", d);
    }

    private static String shortName(Fault f) {
        return switch (f) {
            case LIBERTY_KILL -> "kill -9 Liberty";
            case NEO4J_DOWN -> "Neo4j down";
            case POSTGRES_DOWN -> "PostgreSQL down";
            case REDIS_DOWN -> "Redis down";
            case CONSUMER_KILL -> "consumer killed before commit";
        };
    }
}
