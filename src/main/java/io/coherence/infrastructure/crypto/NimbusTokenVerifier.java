package io.coherence.infrastructure.crypto;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.security.CallerClaims;
import io.coherence.application.security.TokenVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Verifies every bearer token (HTTP and WebSocket) with MicroProfile JWT's standard keys: the PEM in
 * {@code mp.jwt.verify.publickey} (JWT_PUBLIC_KEY) or the PEM/JWKS at
 * {@code mp.jwt.verify.publickey.location}, the one algorithm {@code JWT_ALGORITHM} names (RS256 or ES256), issuer {@code JWT_ISSUER}, audience
 * {@code JWT_AUDIENCE}, clock skew {@code JWT_CLOCK_SKEW}; sub, iat and exp required.
 */
@ApplicationScoped
public class NimbusTokenVerifier implements TokenVerifier {

    private static final Pattern LIBERTY_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.publickey")
    Optional<String> publicKey;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.publickey.location")
    Optional<String> publicKeyLocation;

    @Inject
    @ConfigProperty(name = "JWT_ALGORITHM")
    String algorithm;

    @Inject
    @ConfigProperty(name = "JWT_ISSUER")
    String issuer;

    @Inject
    @ConfigProperty(name = "JWT_AUDIENCE")
    String audience;

    @Inject
    @ConfigProperty(name = "JWT_CLOCK_SKEW")
    String clockSkew;

    @Inject
    @ConfigProperty(name = "COHERENCE_JWKS_MIN_REFRESH")
    Duration jwksMinRefresh;

    @Inject
    @ConfigProperty(name = "COHERENCE_JWKS_CACHE_TTL")
    Duration jwksCacheTtl;

    @Inject
    @ConfigProperty(name = "COHERENCE_TOKEN_CACHE_TTL")
    Duration tokenCacheTtl;

    /** Expiry and not-before are judged by this clock, the cached tokens' expiry too. */
    @Inject
    Clock clock;

    /** Built on first use, from the settings above. */
    private volatile State state;

    /**
     * The processor, JWT_CLOCK_SKEW (a cache hit, i.e. most requests, needs it) and the tokens
     * verified in the last COHERENCE_TOKEN_CACHE_TTL: a client sends the same token with every
     * request, and checking it (RSA or ECDSA, JSON parsing) each time cost more than the read it
     * guards. A hit still ends at the token's expiry (plus the clock skew).
     */
    private record State(DefaultJWTProcessor<SecurityContext> processor, Duration maxSkew,
            Cache<String, Verified> recentlyVerified) {
    }

    @Override
    public Verified verify(String token) {
        State s = state();
        Verified known = s.recentlyVerified().getIfPresent(token);
        if (known != null && clock.instant().isBefore(known.expiresAt().plus(s.maxSkew()))) {
            return known;
        }
        Verified verified = verifyNow(s.processor(), token);
        s.recentlyVerified().put(token, verified);
        return verified;
    }

    private static Verified verifyNow(DefaultJWTProcessor<SecurityContext> processor, String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw refused("the token is not a JWT");
        } catch (BadJOSEException e) {
            throw refused("the token is not valid: " + e.getMessage());
        } catch (JOSEException e) {
            throw refused("the token could not be verified: " + e.getMessage());
        }
        try {
            return new Verified(CallerClaims.caller(claims.getSubject(), claims.getStringClaim("tenant"),
                    claims.getStringClaim("scope")), claims.getExpirationTime().toInstant());
        } catch (ParseException e) {
            throw refused("the token's tenant and scope claims must be strings");
        }
    }

    private static CoherenceException refused(String message) {
        return new CoherenceException(ErrorCode.UNAUTHENTICATED, message);
    }

    private State state() {
        State s = state;
        if (s == null) {
            requireConfigured(issuer, audience);
            DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
            p.setJWSKeySelector(keys());
            Set<String> audiences = Arrays.stream(audience.split(",")).map(String::trim)
                    .filter(a -> !a.isEmpty()).collect(Collectors.toSet());
            DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audiences,
                    new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "iat", "exp"), null) {
                @Override
                protected Date currentTime() {
                    return Date.from(clock.instant());
                }
            };
            Duration maxSkew = skew(clockSkew);
            claims.setMaxClockSkew((int) maxSkew.toSeconds());
            p.setJWTClaimsSetVerifier(claims);
            s = new State(p, maxSkew, Caffeine.newBuilder().maximumSize(10_000)
                    .expireAfterWrite(tokenCacheTtl).<String, Verified>build());
            state = s;
        }
        return s;
    }

    /** A PEM is one key, used whatever the token's kid; a JWKS is matched by kid, as MP JWT does. */
    private JWSKeySelector<SecurityContext> keys() {
        JWSAlgorithm alg = algorithm(algorithm);
        String publicKey = this.publicKey.orElse("");
        String publicKeyLocation = this.publicKeyLocation.orElse("");
        try {
            if (!publicKey.isBlank()) {
                return new SingleKeyJWSKeySelector<>(alg, pem(publicKey, alg));
            }
            if (publicKeyLocation.startsWith("http://") || publicKeyLocation.startsWith("https://")) {
                // Keys are matched by kid; an unknown kid refetches the set (a rotation), at most
                // once per COHERENCE_JWKS_MIN_REFRESH. The set itself is fetched again once it is
                // COHERENCE_JWKS_CACHE_TTL old, so a key the provider withdraws stops verifying
                // then (Nimbus's own default would keep it five minutes).
                // Refresh-ahead (a request in the set's last quarter fetches it in the background)
                // and the wait for a refresh both fit inside the lifetime, as Nimbus requires.
                requireRefreshBelowTtl(jwksMinRefresh, jwksCacheTtl);
                long ttl = jwksCacheTtl.toMillis();
                long quarter = Math.min(JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT, ttl / 4);
                return new JWSVerificationKeySelector<>(alg,
                        JWKSourceBuilder.create(URI.create(publicKeyLocation).toURL())
                                .cache(ttl, quarter).refreshAheadCache(quarter, false)
                                .rateLimited(jwksMinRefresh.toMillis()).build());
            }
            if (!publicKeyLocation.isBlank()) {
                Path file = publicKeyLocation.startsWith("file:") ? Path.of(URI.create(publicKeyLocation))
                        : Path.of(publicKeyLocation);
                String content = Files.readString(file).trim();
                return content.startsWith("{")
                        ? new JWSVerificationKeySelector<>(alg, new ImmutableJWKSet<>(JWKSet.parse(content)))
                        : new SingleKeyJWSKeySelector<>(alg, pem(content, alg));
            }
        } catch (IOException | ParseException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the JWT verification key cannot be read: " + e.getMessage(), e);
        }
        throw refused("no JWT verification key is configured (JWT_PUBLIC_KEY or MP_JWT_VERIFY_PUBLICKEY_LOCATION)");
    }

    /**
     * MicroProfile JWT skips the audience check when none is configured; Coherence refuses to run
     * that way, for HTTP (the same variables feed server.xml) and WebSocket alike.
     */
    public static void requireConfigured(String issuer, String audience) {
        if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
            throw new IllegalStateException("JWT_ISSUER and JWT_AUDIENCE must both be set: without them tokens "
                    + "from any issuer, or for any audience, would be accepted");
        }
    }

    /** The signature algorithms Coherence accepts; one of them is configured, the other refused. */
    public static JWSAlgorithm algorithm(String name) {
        String n = name == null ? "" : name.trim();
        if (n.equals("RS256")) {
            return JWSAlgorithm.RS256;
        }
        if (n.equals("ES256")) {
            return JWSAlgorithm.ES256;
        }
        throw new IllegalStateException("JWT_ALGORITHM must be RS256 or ES256, not '" + name + "'");
    }

    /** A public key in PEM (SubjectPublicKeyInfo): RSA for RS256, EC P-256 for ES256; read with the JDK alone. */
    static PublicKey pem(String pem, JWSAlgorithm alg) throws GeneralSecurityException {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(JWSAlgorithm.ES256.equals(alg) ? "EC" : "RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** Nimbus refuses a rate limit that is not below the cache's lifetime; say so in our own terms. */
    public static void requireRefreshBelowTtl(Duration minRefresh, Duration ttl) {
        if (minRefresh.compareTo(ttl) >= 0) {
            throw new IllegalStateException("COHERENCE_JWKS_MIN_REFRESH (" + minRefresh
                    + ") must be shorter than COHERENCE_JWKS_CACHE_TTL (" + ttl + ")");
        }
    }

    /** Liberty's duration syntax as used by mpJwt's clockSkew: 60s, 500ms, 2m, 1h; or ISO-8601. */
    static Duration skew(String value) {
        Matcher m = LIBERTY_DURATION.matcher(value.trim());
        if (!m.matches()) {
            return Duration.parse(value.trim());
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
