package io.coherence.infrastructure.crypto;

import com.nimbusds.jose.jwk.JWKSet;
import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.domain.erasure.AuditKeys;
import io.coherence.domain.erasure.AuditSigner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signs audit packages (RS256, compact JWS) with the key in {@code COHERENCE_AUDIT_SIGNING_KEY}
 * and publishes its public half. Without that setting nothing is signed: {@link #available()} is
 * false and {@link #sign} refuses with AUDIT_KEY_UNAVAILABLE, so no erasure runs unaudited. A key
 * that is configured but unusable stops the application at startup instead, like a bad JWT setting.
 */
@ApplicationScoped
public class NimbusAuditSigner implements AuditSigner, AuditKeys {

    private static final Logger LOG = Logger.getLogger(NimbusAuditSigner.class.getName());
    private static final String EMPTY_SET = "{\"keys\":[]}";

    @Inject
    @ConfigProperty(name = "COHERENCE_AUDIT_SIGNING_KEY")
    Optional<String> keyFile;

    @Inject
    @ConfigProperty(name = "COHERENCE_AUDIT_KEY_ID")
    Optional<String> configuredKeyId;

    /** Read once, at startup or first use; empty when no key is configured. */
    private volatile Optional<AuditSigningKey> key;

    void load(@Observes Startup startup) {
        Optional<AuditSigningKey> loaded = key();
        if (loaded.isPresent()) {
            LOG.info(() -> "audit packages are signed (RS256, " + loaded.get().bits() + " bits) with key "
                    + loaded.get().keyId() + " from " + keyFile.orElse(""));
        } else {
            LOG.warning("no audit signing key (COHERENCE_AUDIT_SIGNING_KEY is not set): erasure requests are refused with "
                    + ErrorCode.AUDIT_KEY_UNAVAILABLE + " until one is configured");
        }
    }

    @Override
    public boolean available() {
        return key().isPresent();
    }

    @Override
    public String sign(String payload) {
        return key().orElseThrow(NimbusAuditSigner::unavailable).sign(payload);
    }

    @Override
    public String keyId() {
        return key().orElseThrow(NimbusAuditSigner::unavailable).keyId();
    }

    @Override
    public String keySet() {
        return key().map(k -> new JWKSet(k.publicJwk()).toString(true)).orElse(EMPTY_SET);
    }

    @Override
    public Optional<String> publicKeyPem(String keyId) {
        return key().filter(k -> k.keyId().equals(keyId)).map(AuditSigningKey::publicKeyPem);
    }

    private Optional<AuditSigningKey> key() {
        Optional<AuditSigningKey> k = key;
        if (k == null) {
            synchronized (this) {
                k = key;
                if (k == null) {
                    k = keyFile.filter(f -> !f.isBlank())
                            .map(f -> AuditSigningKey.read(Path.of(f.trim()), configuredKeyId.orElse("")));
                    key = k;
                }
            }
        }
        return k;
    }

    private static CoherenceException unavailable() {
        return new CoherenceException(ErrorCode.AUDIT_KEY_UNAVAILABLE,
                "no audit signing key is configured (COHERENCE_AUDIT_SIGNING_KEY): erasures cannot be audited, so none runs");
    }
}
