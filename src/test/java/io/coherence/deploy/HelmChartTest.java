package io.coherence.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Helm chart {@code charts/coherence}, checked with Helm's own code (helm-java runs Helm's
 * library in-process): lint and template for the defaults and each overlay, and what the rendered
 * manifests promise an operator — probes on the health endpoints, the feature flag, strict
 * persisted queries in every values file, the seed's HPA and PDB numbers, no secret value anywhere,
 * a non-root read-only container, the alert rules and dashboard from their one source, and the
 * switches (Kafka, OPA sidecar, OpenTelemetry) doing what they say.
 */
@SuppressWarnings("unchecked")
class HelmChartTest {

    private static final Path BASE = Path.of(System.getProperty("basedir", "."));
    private static final Path CHART = BASE.resolve("charts/coherence");

    /** What every install must give and the defaults cannot: who issues tokens and where its keys are. */
    private static final Map<String, Object> REQUIRED = Map.of(
            "jwt", Map.of("issuer", "https://issuer.test/", "jwksUrl", "https://issuer.test/jwks.json"));

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|PRIVATE|TOKEN|_KEY).*");

    @TempDir
    Path temp;

    // --- lint -------------------------------------------------------------------------------------

    /**
     * helm lint reads only the chart's values.yaml, so each overlay is linted as a copy of the chart
     * whose values.yaml is the defaults merged with it (Helm's own merge order: the overlay wins).
     */
    @ParameterizedTest
    @ValueSource(strings = {"values.yaml", "values.staging.yaml", "values.us.yaml"})
    void lintsCleanlyWithEachValuesFile(String valuesFile) throws IOException {
        Path copy = copyOfChart(valuesFile);

        LintResult lint = new Helm(copy).lint().strict().call();

        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void theDefaultsAloneAreRefusedWithTheSettingToGive() {
        assertThatThrownBy(() -> new Helm(CHART).template().withName("coherence").call())
                .hasMessageContaining("jwt.issuer is required");
    }

    // --- template: every values file ---------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"values.yaml", "values.staging.yaml", "values.us.yaml"})
    void probesAreOnTheHealthEndpoints(String valuesFile) throws IOException {
        Map<String, Object> container = serverContainer(render(valuesFile));

        assertThat(path(container, "startupProbe.httpGet.path")).isEqualTo("/health/started");
        assertThat(path(container, "livenessProbe.httpGet.path")).isEqualTo("/health/live");
        assertThat(path(container, "readinessProbe.httpGet.path")).isEqualTo("/health/ready");
        assertThat(Stream.of("startupProbe", "livenessProbe", "readinessProbe")
                .map(p -> path(container, p + ".httpGet.port")).toList()).containsOnly("http");
        assertThat(path(container, "ports.0.containerPort")).isEqualTo(9080);
        assertThat(path(container, "ports.0.name")).isEqualTo("http");
    }

    @ParameterizedTest
    @ValueSource(strings = {"values.yaml", "values.staging.yaml", "values.us.yaml"})
    void theFlagIsOnAndPersistedQueriesAreStrict(String valuesFile) throws IOException {
        Map<String, Object> env = envConfigMap(render(valuesFile));

        assertThat(env).containsEntry("V24_COHERENCE", "true").containsEntry("COHERENCE_PERSISTED_QUERIES", "strict");
    }

    @ParameterizedTest
    @ValueSource(strings = {"values.yaml", "values.staging.yaml", "values.us.yaml"})
    void theSeedsAutoscalingAndDisruptionBudget(String valuesFile) throws IOException {
        List<Map<String, Object>> manifests = render(valuesFile);

        Map<String, Object> hpa = one(manifests, "HorizontalPodAutoscaler");
        assertThat(path(hpa, "spec.minReplicas")).isEqualTo(3);
        assertThat(path(hpa, "spec.maxReplicas")).isEqualTo(10);
        assertThat(path(hpa, "spec.metrics.0.resource.name")).isEqualTo("cpu");
        assertThat(path(hpa, "spec.metrics.0.resource.target.averageUtilization")).isEqualTo(70);
        assertThat(path(hpa, "spec.scaleTargetRef.name")).isEqualTo(path(one(manifests, "Deployment"), "metadata.name"));
        assertThat(path(one(manifests, "PodDisruptionBudget"), "spec.minAvailable")).isEqualTo(2);
        // The HPA owns the replica count: a fixed one would fight it on every upgrade.
        assertThat(path(one(manifests, "Deployment"), "spec.replicas")).isNull();
        Map<String, Object> container = serverContainer(manifests);
        assertThat(path(container, "resources.requests.cpu")).isEqualTo("200m");
        assertThat(path(container, "resources.requests.memory")).isEqualTo("256Mi");
        assertThat(path(container, "resources.limits.cpu")).isEqualTo("1");
        assertThat(path(container, "resources.limits.memory")).isEqualTo("1Gi");
    }

    /** Secret values never reach a manifest: credentials come only from Secrets the operator made. */
    @ParameterizedTest
    @ValueSource(strings = {"values.yaml", "values.staging.yaml", "values.us.yaml"})
    void noSecretValueIsRendered(String valuesFile) throws IOException {
        List<Map<String, Object>> manifests = render(valuesFile);

        assertThat(manifests).noneMatch(m -> "Secret".equals(m.get("kind")));
        for (Map<String, Object> container : containers(manifests)) {
            for (Map<String, Object> var : list(container.get("env"))) {
                if (SECRET_NAME.matcher((String) var.get("name")).matches()) {
                    assertThat(var).as("env %s", var.get("name")).doesNotContainKey("value");
                    assertThat(path(var, "valueFrom.secretKeyRef.name")).as("env %s", var.get("name")).isNotNull();
                }
            }
        }
        // In the ConfigMap only a file path may carry such a name (the audit key, mounted from a Secret).
        envConfigMap(manifests).forEach((name, value) -> {
            if (SECRET_NAME.matcher(name).matches()) {
                assertThat((String) value).as(name).startsWith("/config/");
            }
        });
        assertThat(Files.readString(CHART.resolve(valuesFile))).doesNotContainPattern("(?i)password\\s*:\\s*\\S");
    }

    @ParameterizedTest
    @ValueSource(strings = {"values.yaml", "values.staging.yaml", "values.us.yaml"})
    void theServerRunsAsNonRootOnAReadOnlyFilesystem(String valuesFile) throws IOException {
        List<Map<String, Object>> manifests = render(valuesFile);
        Map<String, Object> pod = (Map<String, Object>) path(one(manifests, "Deployment"), "spec.template.spec");
        Map<String, Object> container = serverContainer(manifests);

        assertThat(path(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
        assertThat(path(pod, "automountServiceAccountToken")).isEqualTo(false);
        assertThat(path(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(path(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
        assertThat((List<Object>) path(container, "securityContext.capabilities.drop")).containsExactly("ALL");
        // Liberty writes its logs, its workarea and temporary files: each on a volume of its own.
        assertThat(list(container.get("volumeMounts")).stream().map(m -> m.get("mountPath")))
                .contains("/logs", "/opt/ol/wlp/output", "/tmp");
    }

    // --- the image ---------------------------------------------------------------------------------

    /** The chart deploys the image the Containerfile documents building: same name, same version. */
    @Test
    void theImageIsTheOneTheContainerfileBuilds() throws IOException {
        String containerfile = Files.readString(BASE.resolve("src/main/container/Containerfile"));
        Matcher tag = Pattern.compile("build -f src/main/container/Containerfile -t (\\S+):(\\S+) \\.").matcher(containerfile);
        assertThat(tag.find()).as("the Containerfile's build command").isTrue();
        String pomVersion = projectVersion();

        assertThat(tag.group(2)).isEqualTo(pomVersion);
        assertThat(path(yaml(CHART.resolve("Chart.yaml")), "appVersion")).isEqualTo(pomVersion);
        assertThat(path(serverContainer(render("values.yaml")), "image")).isEqualTo(tag.group(1) + ":" + pomVersion);
        assertThat(containerfile).contains("open-liberty:" + pomProperty("liberty.runtime.version") + "-");
    }

    // --- alerts and dashboard ------------------------------------------------------------------------

    /** The PrometheusRule holds exactly the groups of files/prometheus-rules.yaml, each alert with its runbook. */
    @Test
    void alertRulesComeFromTheirOneSourceWithRunbookLinks() throws IOException {
        List<Map<String, Object>> manifests = render("values.staging.yaml");
        Map<String, Object> rule = one(manifests, "PrometheusRule");
        Map<String, Object> source = yaml(CHART.resolve("files/prometheus-rules.yaml"));
        String base = (String) path(yaml(CHART.resolve("values.staging.yaml")), "monitoring.runbookBaseUrl");

        List<Map<String, Object>> rendered = alerts((Map<String, Object>) rule.get("spec"));
        List<Map<String, Object>> expected = alerts(source);
        assertThat(rendered).hasSameSizeAs(expected).hasSizeGreaterThanOrEqualTo(15);
        for (int i = 0; i < expected.size(); i++) {
            Map<String, Object> want = new LinkedHashMap<>(expected.get(i));
            Map<String, Object> got = new LinkedHashMap<>(rendered.get(i));
            Map<String, Object> annotations = new LinkedHashMap<>((Map<String, Object>) got.remove("annotations"));
            assertThat(annotations.remove("runbook_url")).isEqualTo(base + "/" + want.get("alert") + ".md");
            assertThat(annotations).isEqualTo(want.remove("annotations"));
            assertThat(got).isEqualTo(want);
        }
        assertThat(path(one(manifests, "ServiceMonitor"), "spec.endpoints.0.path")).isEqualTo("/metrics");
    }

    @Test
    void theDashboardIsTheFileItself() throws IOException {
        Map<String, Object> dashboard = named(render("values.us.yaml"), "ConfigMap", "coherence-dashboard");

        assertThat(path(dashboard, "metadata.labels.grafana_dashboard")).isEqualTo("1");
        assertThat(((String) path(dashboard, "data.coherence.json")).strip())
                .isEqualTo(Files.readString(CHART.resolve("files/grafana-dashboard.json")).strip());
    }

    @Test
    void monitoringObjectsNeedTheirSwitch() throws IOException {
        // The defaults do not assume the Prometheus Operator's CRDs are installed.
        assertThat(render("values.yaml")).extracting(m -> m.get("kind"))
                .doesNotContain("ServiceMonitor", "PrometheusRule");
    }

    // --- switches ----------------------------------------------------------------------------------

    @Test
    void kafkaIngestMountsTheSameDropinTheServerUsesElsewhere() throws IOException {
        List<Map<String, Object>> manifests = render("values.yaml", Map.of(
                "kafka.enabled", true, "kafka.bootstrapServers", "kafka-0.kafka:9092"));

        assertThat(envConfigMap(manifests)).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka-0.kafka:9092")
                .containsEntry("KAFKA_TOPIC", "coherence.signals.v1").containsEntry("COHERENCE_KAFKA_TRUST", "token");
        assertThat(list(serverContainer(manifests).get("volumeMounts")).stream().map(m -> m.get("mountPath")))
                .contains("/config/configDropins/overrides/kafka.xml");
        String dropin = (String) path(named(manifests, "ConfigMap", "coherence-kafka"), "data.kafka.xml");
        assertThat(features(dropin)).isEqualTo(features(Files.readString(BASE.resolve("liberty-config/optional/kafka.xml"))))
                .isNotEmpty();

        assertThat(envConfigMap(render("values.yaml"))).doesNotContainKey("KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void anOpaSidecarAnswersOnLoopback() throws IOException {
        List<Map<String, Object>> manifests = render("values.yaml", Map.of(
                "opa.mode", "sidecar", "opa.sidecar.policyConfigMap", "coherence-opa"));

        assertThat(envConfigMap(manifests)).containsEntry("COHERENCE_POLICY_ENGINE", "opa")
                .containsEntry("OPA_URL", "http://127.0.0.1:8181");
        assertThat(containers(manifests)).extracting(c -> c.get("name")).containsExactly("coherence", "opa");
        assertThat(envConfigMap(render("values.yaml"))).containsEntry("COHERENCE_POLICY_ENGINE", "embedded");
    }

    @Test
    void tracesFollowTheirSwitch() throws IOException {
        assertThat(envConfigMap(render("values.yaml"))).containsEntry("OTEL_SDK_DISABLED", "true");
        assertThat(envConfigMap(render("values.staging.yaml"))).containsEntry("OTEL_SDK_DISABLED", "false")
                .containsKey("OTEL_EXPORTER_OTLP_ENDPOINT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"values.yaml", "values.staging.yaml", "values.us.yaml"})
    void theWorkbenchIsOffUnlessEnabled(String valuesFile) throws IOException {
        assertThat(envConfigMap(render(valuesFile))).containsEntry("COHERENCE_WORKBENCH_ENABLED", "false");
        assertThat(envConfigMap(render(valuesFile, Map.of("workbench.enabled", true))))
                .containsEntry("COHERENCE_WORKBENCH_ENABLED", "true");
    }

    @Test
    void theFlagCanBeTurnedOff() throws IOException {
        assertThat(envConfigMap(render("values.us.yaml", Map.of("featureFlags.v24.coherence", false))))
                .containsEntry("V24_COHERENCE", "false");
    }

    // --- refusals ------------------------------------------------------------------------------------

    @Test
    void devModeQueriesNeedAnExplicitTriageSwitch() throws IOException {
        assertThatThrownBy(() -> render("values.us.yaml", Map.of("persistedQueries.mode", "dev")))
                .hasMessageContaining("persistedQueries.allowDevMode");
        assertThat(envConfigMap(render("values.us.yaml", Map.of(
                "persistedQueries.mode", "dev", "persistedQueries.allowDevMode", true))))
                .containsEntry("COHERENCE_PERSISTED_QUERIES", "dev");
    }

    @Test
    void aSecretLookingSettingInEnvIsRefused() {
        assertThatThrownBy(() -> render("values.yaml", Map.of("env.POSTGRES_PASSWORD", "hunter2")))
                .hasMessageContaining("env.POSTGRES_PASSWORD looks like a secret");
    }

    @Test
    void switchesWithoutTheirAddressAreRefused() {
        assertThatThrownBy(() -> render("values.yaml", Map.of("kafka.enabled", true)))
                .hasMessageContaining("kafka.bootstrapServers");
        assertThatThrownBy(() -> render("values.yaml", Map.of("opa.mode", "url")))
                .hasMessageContaining("opa.url");
        assertThatThrownBy(() -> render("values.yaml", Map.of("opa.mode", "sidecar")))
                .hasMessageContaining("opa.sidecar.policyConfigMap");
        assertThatThrownBy(() -> render("values.yaml", Map.of("jwt.jwksUrl", "")))
                .hasMessageContaining("jwt.jwksUrl or jwt.publicKeySecret.name");
    }

    // --- helpers -------------------------------------------------------------------------------------

    private List<Map<String, Object>> render(String valuesFile) throws IOException {
        return render(valuesFile, Map.of());
    }

    /** helm template --name coherence with the file (and the required settings when it gives none). */
    private List<Map<String, Object>> render(String valuesFile, Map<String, Object> sets) throws IOException {
        TemplateCommand template = new Helm(CHART).template().withName("coherence").withNamespace("coherence");
        Map<String, Object> values = yaml(CHART.resolve(valuesFile));
        Object issuer = path(values, "jwt.issuer");
        if (issuer == null || issuer.toString().isEmpty()) {
            template.set("jwt.issuer", "https://issuer.test/").set("jwt.jwksUrl", "https://issuer.test/jwks.json");
        }
        if (!valuesFile.equals("values.yaml")) {
            template.withValuesFile(CHART.resolve(valuesFile));
        }
        sets.forEach(template::set);
        String out = template.call();
        List<Map<String, Object>> manifests = new ArrayList<>();
        for (Object doc : loader().loadAll(out)) {
            if (doc != null) {
                manifests.add((Map<String, Object>) doc);
            }
        }
        return manifests;
    }

    /** A copy of the chart whose values.yaml is the defaults (plus the required settings) merged with valuesFile. */
    private Path copyOfChart(String valuesFile) throws IOException {
        Path copy = temp.resolve("coherence");
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(CHART.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        Map<String, Object> values = merge(yaml(CHART.resolve("values.yaml")), REQUIRED);
        if (!valuesFile.equals("values.yaml")) {
            values = merge(values, yaml(CHART.resolve(valuesFile)));
        }
        Files.writeString(copy.resolve("values.yaml"), new Yaml().dump(values));
        return copy;
    }

    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        over.forEach((key, value) -> merged.merge(key, value, (a, b) -> a instanceof Map && b instanceof Map
                ? merge((Map<String, Object>) a, (Map<String, Object>) b) : b));
        return merged;
    }

    private static Map<String, Object> one(List<Map<String, Object>> manifests, String kind) {
        List<Map<String, Object>> found = manifests.stream().filter(m -> kind.equals(m.get("kind"))).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    private static Map<String, Object> named(List<Map<String, Object>> manifests, String kind, String name) {
        return manifests.stream()
                .filter(m -> kind.equals(m.get("kind")) && name.equals(path(m, "metadata.name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static Map<String, Object> envConfigMap(List<Map<String, Object>> manifests) {
        return (Map<String, Object>) path(named(manifests, "ConfigMap", "coherence-env"), "data");
    }

    private static List<Map<String, Object>> containers(List<Map<String, Object>> manifests) {
        return list(path(one(manifests, "Deployment"), "spec.template.spec.containers"));
    }

    private static Map<String, Object> serverContainer(List<Map<String, Object>> manifests) {
        return containers(manifests).get(0);
    }

    private static List<Map<String, Object>> alerts(Map<String, Object> spec) {
        return list(spec.get("groups")).stream()
                .flatMap(g -> list(g.get("rules")).stream()).toList();
    }

    private static Set<String> features(String serverXml) {
        Matcher m = Pattern.compile("<feature>([^<]+)</feature>").matcher(serverXml);
        Set<String> features = new TreeSet<>();
        while (m.find()) {
            features.add(m.group(1).trim());
        }
        return features;
    }

    /** A value by dotted path; a number segment indexes a list; "data.coherence.json" falls back to the literal key. */
    private static Object path(Map<String, Object> root, String dotted) {
        Object current = root;
        String[] parts = dotted.split("\\.");
        for (int i = 0; i < parts.length && current != null; i++) {
            if (current instanceof List<?> items) {
                current = items.get(Integer.parseInt(parts[i]));
            } else {
                Map<String, Object> map = (Map<String, Object>) current;
                String rest = String.join(".", List.of(parts).subList(i, parts.length));
                if (map.containsKey(rest)) {
                    return map.get(rest);
                }
                current = map.get(parts[i]);
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }

    private static Map<String, Object> yaml(Path file) {
        try {
            Map<String, Object> doc = loader().load(Files.readString(file));
            return doc == null ? Map.of() : doc;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Yaml loader() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    private static String projectVersion() throws IOException {
        String pom = Files.readString(BASE.resolve("pom.xml"));
        Matcher m = Pattern.compile("<artifactId>coherence</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String pomProperty(String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(BASE.resolve("pom.xml")));
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }
}
