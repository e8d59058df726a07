package io.coherence.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** The settings a Liberty server needs to run against a stack of embedded engines and dev keys. */
public final class StackSettings {

    /** Same as the defaults in liberty-config/includes/security.xml. */
    public static final String ISSUER = "coherence-devstack";
    public static final String AUDIENCE = "coherence";

    private StackSettings() {
    }

    public static Map<String, String> of(EmbeddedEngines engines, DevKeys keys, int httpPort, int httpsPort) {
        Map<String, String> settings = new LinkedHashMap<>(engines.environment());
        settings.put("JWT_PUBLIC_KEY", keys.publicKeyPem());
        settings.put("JWT_ISSUER", ISSUER);
        settings.put("JWT_AUDIENCE", AUDIENCE);
        // Erasure audit packages are signed with a dev key kept beside the token keys; its kid is the
        // key's thumbprint (COHERENCE_AUDIT_KEY_ID unset), as in production by default.
        settings.put("COHERENCE_AUDIT_SIGNING_KEY", auditKeys(keys).privateKeyFile().toString());
        settings.put("HTTP_PORT", Integer.toString(httpPort));
        settings.put("HTTPS_PORT", Integer.toString(httpsPort));
        // A development stack: any GraphQL document runs and introspection is on (production is strict).
        settings.put("COHERENCE_PERSISTED_QUERIES", "dev");
        // Liberty's GraphiQL page at /graphql-ui (off in production: strict mode refuses introspection anyway).
        settings.put("io.openliberty.enableGraphQLUI", "true");
        // The workbench page at /workbench/ (off in production unless an operator turns it on).
        settings.put("COHERENCE_WORKBENCH_ENABLED", "true");
        return settings;
    }

    /** The audit key pair that goes with these token keys (same directory). */
    public static DevKeys auditKeys(DevKeys keys) {
        return DevKeys.loadOrCreateAudit(keys.privateKeyFile().getParent());
    }

    /**
     * Turns Kafka ingest on as an operator does: liberty-config/optional/kafka.xml copied into the
     * server's configDropins/overrides, and the broker's address. Returns the copied file.
     */
    public static Path enableKafka(Path serverDir, Path projectDir, Map<String, String> settings, EmbeddedKafka broker) {
        settings.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrap());
        Path target = serverDir.resolve("configDropins/overrides/kafka.xml");
        try {
            Files.createDirectories(target.getParent());
            Files.copy(projectDir.resolve("liberty-config/optional/kafka.xml"), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }
}
