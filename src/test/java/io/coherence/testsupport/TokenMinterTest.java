package io.coherence.testsupport;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TokenMinterTest {

    private static final String ISSUER = "https://coherence.dev/issuer";
    private static final String AUDIENCE = "coherence-api";

    @TempDir
    Path dir;

    @Test
    void mintedTokenVerifiesAndCarriesTheClaims() throws Exception {
        DevKeys keys = DevKeys.loadOrCreate(dir);
        TokenMinter minter = new TokenMinter(keys.privateKey(), ISSUER, AUDIENCE);

        SignedJWT jwt = SignedJWT.parse(minter.mint("tenant-7", List.of("coherence:read", "coherence:write"),
                Duration.ofMinutes(5)));

        assertThat(jwt.verify(new RSASSAVerifier(keys.publicKey()))).isTrue();
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("dev");
        assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getStringClaim("tenant")).isEqualTo("tenant-7");
        assertThat(claims.getStringClaim("scope")).isEqualTo("coherence:read coherence:write");
        assertThat(claims.getIssuer()).isEqualTo(ISSUER);
        assertThat(claims.getAudience()).containsExactly(AUDIENCE);
        assertThat(claims.getSubject()).isEqualTo("dev:tenant-7");
        assertThat(claims.getStringClaim("upn")).isEqualTo("dev:tenant-7");
        assertThat(claims.getStringListClaim("groups")).isEmpty();
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getNotBeforeTime()).isNull();
        assertThat(claims.getExpirationTime()).isAfter(new Date());
    }

    @Test
    void customizerCanCraftAnExpiredTokenForAnotherIssuer() throws Exception {
        DevKeys keys = DevKeys.loadOrCreate(dir);
        TokenMinter minter = new TokenMinter(keys.privateKey(), ISSUER, AUDIENCE);

        JWTClaimsSet claims = SignedJWT.parse(minter.mint("tenant-7", List.of(), Duration.ofMinutes(-5),
                b -> b.issuer("https://elsewhere"))).getJWTClaimsSet();

        assertThat(claims.getIssuer()).isEqualTo("https://elsewhere");
        assertThat(claims.getExpirationTime()).isBefore(new Date());
    }

    @Test
    void throwawayKeyDoesNotVerifyAgainstTheDevKey() throws Exception {
        DevKeys keys = DevKeys.loadOrCreate(dir);

        SignedJWT jwt = SignedJWT.parse(TokenMinter.withThrowawayKey(ISSUER, AUDIENCE)
                .mint("tenant-7", List.of("coherence:read"), Duration.ofMinutes(5)));

        assertThat(jwt.verify(new RSASSAVerifier(keys.publicKey()))).isFalse();
    }

    @Test
    void keysAreStoredAsPemAndReloaded() throws Exception {
        DevKeys first = DevKeys.loadOrCreate(dir);
        DevKeys second = DevKeys.loadOrCreate(dir);

        assertThat(second.publicKey()).isEqualTo(first.publicKey());
        assertThat(DevKeys.readPrivateKey(first.privateKeyFile())).isEqualTo(first.privateKey());
        assertThat(Files.readString(first.privateKeyFile())).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(first.publicKeyFile())).isEqualTo(first.publicKeyPem())
                .startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(first.publicKey().getModulus().bitLength()).isEqualTo(2048);
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.privateKeyFile())))
                    .isEqualTo("rw-------");
        }
    }
}
