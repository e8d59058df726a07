package io.coherence.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.coherence.domain.erasure.AuditSigner;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * An RS256 audit signer with a key made at start, added to the WAR by ITs that need erasures to
 * complete while the service's own signer is not in this build; an enabled alternative, so it
 * also wins over that signer when both are there.
 */
@ApplicationScoped
@Alternative
@Priority(1000)
public class ThrowawayAuditSigner implements AuditSigner {

    static final String KEY_ID = "it-throwaway";

    private final RSAKey key;

    public ThrowawayAuditSigner() {
        try {
            key = new RSAKeyGenerator(2048).keyID(KEY_ID).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String sign(String payload) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY_ID).build(), new Payload(payload));
            jws.sign(new RSASSASigner(key));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String keyId() {
        return KEY_ID;
    }
}
