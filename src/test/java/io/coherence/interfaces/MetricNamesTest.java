package io.coherence.interfaces;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricNamesTest {

    @Test
    void selectorsAreFoundAndFunctionsLabelsAndKeywordsAreNot() {
        assertThat(MetricNames.in("histogram_quantile(0.95, sum(rate(graphql_request_duration_seconds_bucket{op=\"query\"}[5m])) by (le)) > 0.35"))
                .containsExactly("graphql_request_duration_seconds_bucket");
        assertThat(MetricNames.in("sum(rate(a_total{status=~\"5..\"}[5m])) / sum(rate(b_total[5m])) and max(c{})"))
                .containsExactly("a_total", "b_total", "c");
    }

    @Test
    void blockAndOneLineExpressionsOfARuleFileAreRead() {
        String yaml = """
                rules:
                  - alert: One
                    expr: rate(first_total[5m]) > 1
                    labels: { severity: warning }
                  - alert: Two
                    expr: |
                      (sum(rate(second_total[1h])) > 1)
                      and
                      (max(third{}) > 2)
                    for: 2m
                """;
        assertThat(MetricNames.inPrometheusRules(yaml)).containsExactly("first_total", "second_total", "third");
    }
}
