package io.coherence.interfaces;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names PromQL expressions select: a name directly followed by a label matcher or a range. */
final class MetricNames {

    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*[{\\[]");

    private MetricNames() {
    }

    static Set<String> in(String expression) {
        Set<String> names = new TreeSet<>();
        // Label matchers hold no metric names; drop their contents before looking.
        Matcher m = SELECTOR.matcher(expression.replaceAll("\\{[^}]*}", "{}"));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The expressions of a PrometheusRule file: {@code expr:} values, one-line or block. */
    static Set<String> inPrometheusRules(String yaml) {
        List<String> expressions = new ArrayList<>();
        StringBuilder block = null;
        for (String line : yaml.split("\n")) {
            String trimmed = line.trim();
            if (block != null) {
                if (trimmed.matches("[a-z]+:.*")) {
                    expressions.add(block.toString());
                    block = null;
                } else {
                    block.append(' ').append(trimmed);
                    continue;
                }
            }
            if (trimmed.startsWith("expr:")) {
                String value = trimmed.substring("expr:".length()).trim();
                if (value.equals("|")) {
                    block = new StringBuilder();
                } else {
                    expressions.add(value);
                }
            }
        }
        if (block != null) {
            expressions.add(block.toString());
        }
        Set<String> names = new TreeSet<>();
        expressions.forEach(e -> names.addAll(in(e)));
        return names;
    }

    /** The expressions of a Grafana dashboard's panel targets. */
    static Set<String> inGrafanaDashboard(String json) {
        Set<String> names = new TreeSet<>();
        JsonObject dashboard = Json.createReader(new StringReader(json)).readObject();
        for (JsonValue panel : dashboard.getJsonArray("panels")) {
            for (JsonValue target : panel.asJsonObject().getJsonArray("targets")) {
                names.addAll(in(target.asJsonObject().getString("expr")));
            }
        }
        return names;
    }
}
