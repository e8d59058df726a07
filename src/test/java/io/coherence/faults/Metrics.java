package io.coherence.faults;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few server metrics that show how a fault was absorbed (circuit breakers opened, cache and
 * read fallbacks, duplicates answered, rate-limit refusals), read from Prometheus text.
 */
final class Metrics {

    static final List<String> WATCHED = List.of("ft_circuitbreaker_opened_total", "score_cache_requests_total",
            "score_reads_degraded_total", "ingest_events_processed_total", "rate_limit_rejections_total");

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private Metrics() {
    }

    /** Watched series by a short name, e.g. {@code ft_circuitbreaker_opened_total{RedisScoreCache.get}}. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> series = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.find() || !WATCHED.contains(m.group(1))) {
                continue;
            }
            try {
                series.merge(m.group(1) + labels(m.group(2)), Double.parseDouble(m.group(3)), Double::sum);
            } catch (NumberFormatException e) {
                // not a sample value
            }
        }
        return series;
    }

    /** after − before for every series that moved (a series absent before counts from 0). */
    static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> moved = new LinkedHashMap<>();
        after.forEach((name, value) -> {
            double d = value - before.getOrDefault(name, 0.0);
            if (d != 0) {
                moved.put(name, d);
            }
        });
        return moved;
    }

    private static String labels(String raw) {
        if (raw == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        Matcher m = LABEL.matcher(raw);
        while (m.find()) {
            String name = m.group(1);
            String value = m.group(2);
            if (name.equals("mp_scope") || name.equals("mp_app")) {
                continue;
            }
            if (name.equals("method")) {
                // io.coherence.infrastructure.redis.RedisScoreCache.get -> RedisScoreCache.get
                String[] parts = value.split("\\.");
                value = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : value;
            }
            out.append(out.length() == 0 ? "" : ",").append(name.equals("method") ? "" : name + "=").append(value);
        }
        return out.length() == 0 ? "" : "{" + out + "}";
    }
}
