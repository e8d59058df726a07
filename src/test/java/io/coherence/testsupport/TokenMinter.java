package io.coherence.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/** Signs RS256 development tokens carrying the MicroProfile JWT claims the application expects. */
public final class TokenMinter {

    public static final String KEY_ID = "dev";

    private final RSAPrivateKey key;
    private final String issuer;
    private final String audience;

    public TokenMinter(RSAPrivateKey key, String issuer, String audience) {
        this.key = key;
        this.issuer = issuer;
        this.audience = audience;
    }

    /** A minter with a freshly generated key the application does not trust, for wrong-key tests. */
    public static TokenMinter withThrowawayKey(String issuer, String audience) {
        return new TokenMinter((RSAPrivateKey) DevKeys.generate().getPrivate(), issuer, audience);
    }

    public String mint(String tenant, Collection<String> scopes, Duration ttl) {
        return mint(tenant, scopes, ttl, claims -> { });
    }

    /** Like {@link #mint(String, Collection, Duration)}, then lets the customizer change or drop any claim. */
    public String mint(String tenant, Collection<String> scopes, Duration ttl,
                       Consumer<JWTClaimsSet.Builder> customizer) {
        // JWT times have second precision; truncating keeps iat/exp exactly as the verifier will read them.
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String subject = "dev:" + tenant;
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(subject)
                .claim("tenant", tenant)
                .claim("scope", String.join(" ", scopes))
                .claim("upn", subject)
                .claim("groups", List.of())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString());
        customizer.accept(claims);
        return sign(claims.build(), key);
    }

    /** Signs arbitrary claims with the given key, using the same header as minted tokens. */
    public static String sign(JWTClaimsSet claims, RSAPrivateKey key) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(KEY_ID)
                .type(JOSEObjectType.JWT)
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign the token", e);
        }
        return jwt.serialize();
    }
}
