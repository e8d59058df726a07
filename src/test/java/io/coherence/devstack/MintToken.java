package io.coherence.devstack;

import io.coherence.testsupport.DevKeys;
import io.coherence.testsupport.StackSettings;
import io.coherence.testsupport.TokenMinter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Mints a dev token signed with the dev stack's key:
 * {@code mvn -q -Ptoken -Dtenant=tenant-101 -Dscopes="coherence:read" -Dttl=3600} (add {@code -Ddata=DIR}
 * for a stack started with it). Prints only the token.
 */
public final class MintToken {

    private MintToken() {
    }

    public static void main(String[] args) {
        String tenant = System.getProperty("tenant", "tenant-123");
        String scopes = System.getProperty("scopes", "coherence:read coherence:write");
        long ttl = Long.parseLong(System.getProperty("ttl", "3600"));
        // The stack's keys: in DIR with -Ddata=DIR (or COHERENCE_DEV_DATA), else in the work directory.
        Path keys = DevStack.dataDir().orElse(Path.of(System.getProperty("coherence.workDir", "target/devstack")))
                .resolve("keys");
        TokenMinter minter = new TokenMinter(DevKeys.loadOrCreate(keys).privateKey(),
                System.getProperty("issuer", StackSettings.ISSUER), System.getProperty("audience", StackSettings.AUDIENCE));
        System.out.println(minter.mint(tenant, Arrays.asList(scopes.trim().split("\\s+")), Duration.ofSeconds(ttl)));
    }
}
