package io.coherence.infrastructure.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.DevKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented offline check (src/main/tools/verify-audit.sh, bash and openssl only) on packages
 * the service's signer made: valid as signed, invalid after one changed byte or with another key.
 */
class VerifyAuditScriptTest {

    private static final Path SCRIPT = Path.of(System.getProperty("basedir", "."))
            .resolve("src/main/tools/verify-audit.sh");
    private static final String PACKAGE = "{\"request\":{\"tenantId\":\"t-1\",\"subjectId\":\"probe-ä\",\"scope\":\"DELETE\"},"
            + "\"stores\":[{\"store\":\"neo4j\",\"before\":12,\"after\":0}]}";

    private record Run(int exit, String output) {
    }

    @TempDir
    Path dir;

    private DevKeys keys;
    private String jws;

    @BeforeEach
    void sign() {
        keys = DevKeys.loadOrCreateAudit(dir.resolve("keys"));
        NimbusAuditSigner signer = new NimbusAuditSigner();
        signer.keyFile = Optional.of(keys.privateKeyFile().toString());
        signer.configuredKeyId = Optional.empty();
        jws = signer.sign(PACKAGE);
    }

    private Run verify(String packageText, Path publicKey, String... extra) throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("package.jws"), packageText);
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString(), file.toString(), publicKey.toString()));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the script ends").isTrue();
        return new Run(process.exitValue(), output);
    }

    @Test
    void opensslIsThere() throws Exception {
        Process which = new ProcessBuilder("bash", "-c", "command -v openssl").start();
        assertThat(which.waitFor()).as("openssl must be installed (the verification command needs it)").isZero();
    }

    @Test
    void aPackageAsSignedIsValidAndItsPayloadIsWrittenOut() throws Exception {
        Path out = dir.resolve("payload.json");
        Run run = verify(jws + "\n", keys.publicKeyFile(), out.toString());
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).startsWith("valid: ");
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo(PACKAGE);
    }

    @Test
    void oneChangedByteInThePackageMakesItInvalid() throws Exception {
        String[] parts = jws.split("\\.");
        byte[] payload = PACKAGE.getBytes(StandardCharsets.UTF_8);
        payload[PACKAGE.substring(0, PACKAGE.indexOf("12")).getBytes(StandardCharsets.UTF_8).length] = '0';
        String altered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "." + parts[2];
        Path out = dir.resolve("payload.json");

        Run run = verify(altered, keys.publicKeyFile(), out.toString());
        assertThat(run.exit()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).startsWith("INVALID: ");
        assertThat(out).doesNotExist();
    }

    @Test
    void oneChangedByteInTheSignatureMakesItInvalid() throws Exception {
        char[] chars = jws.toCharArray();
        int inSignature = jws.lastIndexOf('.') + 10;
        chars[inSignature] = chars[inSignature] == 'A' ? 'B' : 'A';
        Run run = verify(new String(chars), keys.publicKeyFile());
        assertThat(run.exit()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).startsWith("INVALID: ");
    }

    @Test
    void anotherKeyMakesItInvalid() throws Exception {
        Run run = verify(jws, DevKeys.loadOrCreateAudit(dir.resolve("other")).publicKeyFile());
        assertThat(run.exit()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).startsWith("INVALID: ");
    }

    @Test
    void whatIsNoPackageOrNoPublicKeyCannotBeChecked() throws Exception {
        assertThat(verify("not-a-jws", keys.publicKeyFile()).exit()).isEqualTo(2);
        assertThat(verify(jws + ".extra", keys.publicKeyFile()).exit()).isEqualTo(2);
        Run privateKey = verify(jws, keys.privateKeyFile());
        assertThat(privateKey.exit()).isEqualTo(2);
        assertThat(privateKey.output()).contains("is not a PEM public key");
    }
}
