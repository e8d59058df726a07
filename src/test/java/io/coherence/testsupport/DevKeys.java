package io.coherence.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A development RSA 2048 key pair kept as PEM files, generated on first use and reused afterwards:
 * the token issuer's ({@link #loadOrCreate}) or the one that signs erasure audit packages
 * ({@link #loadOrCreateAudit}), side by side in the same directory.
 */
public final class DevKeys {

    public static final String PRIVATE_KEY_FILE = "jwt-private.pem";
    public static final String PUBLIC_KEY_FILE = "jwt-public.pem";
    public static final String AUDIT_PRIVATE_KEY_FILE = "audit-private.pem";
    public static final String AUDIT_PUBLIC_KEY_FILE = "audit-public.pem";

    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";

    private final Path privateKeyFile;
    private final Path publicKeyFile;
    private final RSAPrivateKey privateKey;
    private final RSAPublicKey publicKey;

    private DevKeys(Path privateKeyFile, Path publicKeyFile, RSAPrivateKey privateKey, RSAPublicKey publicKey) {
        this.privateKeyFile = privateKeyFile;
        this.publicKeyFile = publicKeyFile;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** The token issuer's pair: tokens are minted with it, the server verifies them with its public half. */
    public static DevKeys loadOrCreate(Path dir) {
        return loadOrCreate(dir, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE);
    }

    /** The audit pair: the server signs erasure audit packages with it (COHERENCE_AUDIT_SIGNING_KEY). */
    public static DevKeys loadOrCreateAudit(Path dir) {
        return loadOrCreate(dir, AUDIT_PRIVATE_KEY_FILE, AUDIT_PUBLIC_KEY_FILE);
    }

    private static synchronized DevKeys loadOrCreate(Path dir, String privateName, String publicName) {
        Path privateFile = dir.resolve(privateName).toAbsolutePath();
        Path publicFile = dir.resolve(publicName).toAbsolutePath();
        try {
            if (!Files.isRegularFile(privateFile) || !Files.isRegularFile(publicFile)) {
                Files.createDirectories(dir);
                KeyPair pair = generate();
                // Public first: a reader that sees the private file can rely on the pair being complete.
                writeAtomically(publicFile, pem(PUBLIC_LABEL, pair.getPublic().getEncoded()), false);
                writeAtomically(privateFile, pem(PRIVATE_LABEL, pair.getPrivate().getEncoded()), true);
            }
            return new DevKeys(privateFile, publicFile, readPrivateKey(privateFile), readPublicKey(publicFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RSAPrivateKey readPrivateKey(Path pemFile) {
        byte[] der = decode(pemFile, PRIVATE_LABEL);
        try {
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Not an RSA PKCS#8 private key: " + pemFile, e);
        }
    }

    public static RSAPublicKey readPublicKey(Path pemFile) {
        byte[] der = decode(pemFile, PUBLIC_LABEL);
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Not an RSA X.509 public key: " + pemFile, e);
        }
    }

    public Path privateKeyFile() {
        return privateKeyFile;
    }

    public Path publicKeyFile() {
        return publicKeyFile;
    }

    public String publicKeyPem() {
        return pem(PUBLIC_LABEL, publicKey.getEncoded());
    }

    public RSAPrivateKey privateKey() {
        return privateKey;
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String label, byte[] der) {
        Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return "-----BEGIN " + label + "-----\n" + encoder.encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    private static byte[] decode(Path pemFile, String label) {
        String text;
        try {
            text = Files.readString(pemFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("No " + label + " PEM block in " + pemFile);
        }
        return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    }

    /** Writes via a temp file in the same directory, created owner-only when secret, so no reader sees half a key. */
    private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp", attributes(secret));
        try {
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static FileAttribute<?>[] attributes(boolean secret) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        String perms = secret ? "rw-------" : "rw-r--r--";
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms))};
    }
}
