package io.coherence.infrastructure.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.coherence.application.CoherenceException;
import io.coherence.application.security.TokenVerifier;
import io.coherence.testsupport.DevKeys;
import io.coherence.testsupport.Eventually;
import io.coherence.testsupport.MovableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The connection_init token check: the rules MicroProfile JWT applies to HTTP, and key rotation. */
class NimbusTokenVerifierTest {

    private static final KeyPair KEYS = DevKeys.generate();
    private static final KeyPair OTHER = DevKeys.generate();

    private HttpServer jwks;

    @AfterEach
    void stopJwks() {
        if (jwks != null) {
            jwks.stop(0);
        }
    }

    private static NimbusTokenVerifier verifier(String pem, String location) {
        NimbusTokenVerifier v = new NimbusTokenVerifier();
        v.publicKey = Optional.ofNullable(pem);
        v.publicKeyLocation = Optional.ofNullable(location);
        v.algorithm = "RS256";
        v.issuer = "issuer-1";
        v.audience = "coherence";
        v.clockSkew = "60s";
        v.jwksMinRefresh = Duration.ZERO;
        v.jwksCacheTtl = Duration.ofSeconds(45);
        v.tokenCacheTtl = Duration.ofSeconds(15);
        v.clock = Clock.systemUTC();
        return v;
    }

    private static String pem(KeyPair keys) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static String token(KeyPair keys, String kid, Consumer<JWTClaimsSet.Builder> change) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer("issuer-1").audience("coherence")
                .subject("sub-1").claim("tenant", "tenant-a").claim("scope", "coherence:read coherence:write")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)));
        change.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT)
                .build(), claims.build());
        jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
        return jwt.serialize();
    }

    private static String token(KeyPair keys, String kid) throws Exception {
        return token(keys, kid, c -> { });
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String es256(KeyPair keys) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().issuer("issuer-1").audience("coherence").subject("sub-ec")
                        .claim("tenant", "tenant-e").claim("scope", "coherence:read")
                        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600))).build());
        jwt.sign(new ECDSASigner((ECPrivateKey) keys.getPrivate()));
        return jwt.serialize();
    }

    @Test
    void es256IsAcceptedWhenConfiguredAndRs256IsThenRefused() throws Exception {
        KeyPair ec = ecKeys();
        NimbusTokenVerifier v = verifier(pem(ec), null);
        v.algorithm = "ES256";

        TokenVerifier.Verified verified = v.verify(es256(ec));

        assertThat(verified.caller().subject()).isEqualTo("sub-ec");
        assertThat(verified.caller().tenant()).contains("tenant-e");
        assertRefused(v, token(KEYS, "k"));
        assertRefused(v, es256(ecKeys()));
        // And the other way round: an RS256 deployment refuses ES256 tokens.
        assertRefused(verifier(pem(KEYS), null), es256(ec));
    }

    @Test
    void onlyRs256AndEs256CanBeConfigured() {
        assertThat(NimbusTokenVerifier.algorithm(" ES256 ")).isEqualTo(JWSAlgorithm.ES256);
        for (String other : new String[] {"HS256", "none", "PS256", "rs256", ""}) {
            assertThatThrownBy(() -> NimbusTokenVerifier.algorithm(other)).hasMessageContaining("RS256 or ES256");
        }
    }

    @Test
    void aValidTokenGivesTheCallerAndItsExpiry() throws Exception {
        TokenVerifier.Verified verified = verifier(pem(KEYS), null).verify(token(KEYS, "any-kid"));

        assertThat(verified.caller().subject()).isEqualTo("sub-1");
        assertThat(verified.caller().tenant()).contains("tenant-a");
        assertThat(verified.caller().scopes()).containsExactlyInAnyOrder("coherence:read", "coherence:write");
        assertThat(verified.expiresAt()).isAfter(Instant.now());
    }

    @Test
    void wrongKeyIssuerAudienceOrExpiryAreRefused() throws Exception {
        NimbusTokenVerifier v = verifier(pem(KEYS), null);

        assertRefused(v, token(OTHER, "dev"));
        assertRefused(v, token(KEYS, "dev", c -> c.issuer("someone-else")));
        assertRefused(v, token(KEYS, "dev", c -> c.audience("other")));
        assertRefused(v, token(KEYS, "dev", c -> c.expirationTime(Date.from(Instant.now().minusSeconds(120)))));
        assertRefused(v, token(KEYS, "dev", c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(120)))));
        assertRefused(v, token(KEYS, "dev", c -> c.subject(null)));
        assertRefused(v, "not.a.token");
    }

    @Test
    void theClockSkewIsSixtySeconds() throws Exception {
        NimbusTokenVerifier v = verifier(pem(KEYS), null);

        assertThat(v.verify(token(KEYS, "dev", c -> c.expirationTime(Date.from(Instant.now().minusSeconds(30))))))
                .isNotNull();
        assertRefused(v, token(KEYS, "dev", c -> c.expirationTime(Date.from(Instant.now().minusSeconds(90)))));
    }

    @Test
    void aTokenSeenAgainIsNotCheckedAgainButStillEndsAtItsExpiry() throws Exception {
        NimbusTokenVerifier v = verifier(pem(KEYS), null);
        v.clockSkew = "0s";
        // JWT times are whole seconds: start on one, so that the expiry is exactly two seconds on.
        MovableClock clock = new MovableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        v.clock = clock;
        Instant exp = clock.instant().plusSeconds(2);
        String token = token(KEYS, "dev", c -> c.expirationTime(Date.from(exp)));

        TokenVerifier.Verified first = v.verify(token);

        assertThat(v.verify(token)).isSameAs(first);
        clock.advance(Duration.ofMillis(1900));
        assertThat(v.verify(token)).as("still before its expiry").isSameAs(first);
        clock.advance(Duration.ofMillis(1200));
        assertRefused(v, token);
    }

    @Test
    void anUnsignedTokenIsRefused() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String unsigned = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"iss\":\"issuer-1\",\"aud\":\"coherence\",\"sub\":\"x\",\"iat\":" + now
                + ",\"exp\":" + (now + 600) + "}").getBytes(StandardCharsets.UTF_8)) + ".";

        assertRefused(verifier(pem(KEYS), null), unsigned);
    }

    /**
     * Rotation through a JWKS location: the identity provider publishes a new key under a new kid;
     * a token with that kid makes the verifier fetch the set again and is accepted, and a token
     * with the retired kid is then refused.
     */
    @Test
    void aRotatedKeyIsPickedUpFromTheJwksLocation() throws Exception {
        AtomicReference<String> published = new AtomicReference<>(jwks(KEYS, "key-1"));
        NimbusTokenVerifier v = verifier(null, serveJwks(published));

        assertThat(v.verify(token(KEYS, "key-1")).caller().subject()).isEqualTo("sub-1");

        published.set(jwks(OTHER, "key-2"));

        assertThat(v.verify(token(OTHER, "key-2")).caller().subject()).isEqualTo("sub-1");
        // A token not seen before; one already verified stays honoured until the token cache expires.
        assertRefused(v, token(KEYS, "key-1", c -> c.jwtID("after-rotation")));
    }

    /**
     * The identity provider withdraws a key without publishing a new kid (a compromised key): a
     * token signed with it, already verified and cached, stops being honoured once the key set and
     * the token cache have both expired (COHERENCE_JWKS_CACHE_TTL + COHERENCE_TOKEN_CACHE_TTL),
     * not after Nimbus's default five minutes plus the token cache.
     */
    @Test
    void aKeyRemovedFromTheJwksIsRefusedOnceBothCachesExpire() throws Exception {
        AtomicReference<String> published = new AtomicReference<>(jwks(KEYS, "key-1", OTHER, "key-2"));
        NimbusTokenVerifier v = verifier(null, serveJwks(published));
        v.jwksCacheTtl = Duration.ofMillis(400);
        v.tokenCacheTtl = Duration.ofMillis(200);
        String seen = token(KEYS, "key-1");
        String survivor = token(OTHER, "key-2");
        assertThat(v.verify(seen).caller().subject()).isEqualTo("sub-1");
        assertThat(v.verify(survivor).caller().subject()).isEqualTo("sub-1");

        published.set(jwks(OTHER, "key-2"));

        Eventually.await("the token signed with the removed key is refused", Duration.ofSeconds(20),
                () -> refuses(v, seen));
        assertRefused(v, token(KEYS, "key-1", c -> c.jwtID("never-seen")));
        assertThat(v.verify(survivor).caller().subject()).isEqualTo("sub-1");
    }

    @Test
    void theKeySetMustBeFetchableMoreOftenThanItExpires() {
        assertThatIllegalStateException()
                .isThrownBy(() -> NimbusTokenVerifier.requireRefreshBelowTtl(Duration.ofSeconds(30), Duration.ofSeconds(30)))
                .withMessageContaining("COHERENCE_JWKS_MIN_REFRESH").withMessageContaining("COHERENCE_JWKS_CACHE_TTL");
        NimbusTokenVerifier.requireRefreshBelowTtl(Duration.ofSeconds(30), Duration.ofSeconds(45));
    }

    @Test
    void anEmptyIssuerOrAudienceIsAStartupError() {
        assertThatIllegalStateException().isThrownBy(() -> NimbusTokenVerifier.requireConfigured("iss", " "))
                .withMessageContaining("JWT_AUDIENCE");
        assertThatIllegalStateException().isThrownBy(() -> NimbusTokenVerifier.requireConfigured(null, "aud"));
        NimbusTokenVerifier.requireConfigured("iss", "aud");
    }

    @Test
    void libertyDurationsAreRead() {
        assertThat(NimbusTokenVerifier.skew("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(NimbusTokenVerifier.skew("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(NimbusTokenVerifier.skew("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(NimbusTokenVerifier.skew("PT30S")).isEqualTo(Duration.ofSeconds(30));
    }

    private static String jwks(KeyPair keys, String kid) {
        return new JWKSet(new RSAKey.Builder((RSAPublicKey) keys.getPublic()).keyID(kid).build()).toString();
    }

    private static String jwks(KeyPair keys, String kid, KeyPair moreKeys, String moreKid) {
        return new JWKSet(List.of(new RSAKey.Builder((RSAPublicKey) keys.getPublic()).keyID(kid).build(),
                new RSAKey.Builder((RSAPublicKey) moreKeys.getPublic()).keyID(moreKid).build())).toString();
    }

    /** Serves whatever {@code published} holds at the time of each request; returns the URL. */
    private String serveJwks(AtomicReference<String> published) throws IOException {
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks", exchange -> {
            byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        jwks.start();
        return "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks";
    }

    private static boolean refuses(NimbusTokenVerifier v, String token) {
        try {
            v.verify(token);
            return false;
        } catch (CoherenceException refused) {
            return true;
        }
    }

    private static void assertRefused(NimbusTokenVerifier v, String token) {
        assertThatThrownBy(() -> v.verify(token)).isInstanceOf(CoherenceException.class);
    }
}
