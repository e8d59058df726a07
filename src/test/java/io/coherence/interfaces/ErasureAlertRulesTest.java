package io.coherence.interfaces;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The 24 h erasure promise in the alert rules: a warning at 20 h and a critical alert at 24 h on
 * the age of the oldest unfinished request, the one gauge the erasure worker exports under that name.
 */
class ErasureAlertRulesTest {

    private static final String GAUGE = "erasure_oldest_pending_age_seconds";

    /** Each alert's lines (expr, for, labels, annotations), by alert name. */
    private static Map<String, String> alerts() throws Exception {
        String yaml = Files.readString(Path.of(System.getProperty("basedir", "."))
                .resolve("charts/coherence/files/prometheus-rules.yaml"));
        Map<String, String> alerts = new LinkedHashMap<>();
        String current = null;
        for (String line : yaml.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("- alert:")) {
                current = trimmed.substring("- alert:".length()).trim();
                alerts.put(current, "");
            } else if (trimmed.startsWith("- name:")) {
                current = null;
            } else if (current != null) {
                alerts.merge(current, trimmed + "\n", String::concat);
            }
        }
        return alerts;
    }

    @Test
    void atRiskAfterTwentyHoursAndBreachedAfterTwentyFour() throws Exception {
        Map<String, String> alerts = alerts();
        assertThat(alerts).containsKeys("ErasureSlaAtRisk", "ErasureSlaBreached");

        String atRisk = alerts.get("ErasureSlaAtRisk");
        assertThat(atRisk).contains("expr: max(" + GAUGE + "{}) > " + Duration.ofHours(20).toSeconds() + "\n")
                .contains("severity: warning");
        String breached = alerts.get("ErasureSlaBreached");
        assertThat(breached).contains("expr: max(" + GAUGE + "{}) > " + Duration.ofHours(24).toSeconds() + "\n")
                .contains("severity: critical");
        assertThat(MetricNames.in(atRisk + breached)).containsExactly(GAUGE);
    }
}
