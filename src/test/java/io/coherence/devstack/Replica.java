package io.coherence.devstack;

import io.coherence.testsupport.ServerDirectories;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A further Liberty server of the dev stack: a copy of the first server's directory (its
 * configuration, drop-ins and application) under the name {@code <server>-r<i>}, without its logs,
 * work area, transaction log or lock, so it starts clean on the same engines.
 */
record Replica(String serverName, String replicaName, String base, Path serverDir) {

    /** More would not fit a 2-core machine's memory and CPU in any useful way. */
    static final int MAX = 4;

    private static final Set<String> NOT_COPIED = Set.of("logs", "workarea", "tranlog", "devstack.lock", "expanded");

    static Replica prepare(Path wlp, Path first, int index, int httpPort) throws IOException {
        String name = first.getFileName() + "-r" + index;
        Path dir = wlp.resolve("usr/servers").resolve(name);
        ServerDirectories.copy(first, dir, NOT_COPIED);
        return new Replica(name, "devstack-" + index, "http://localhost:" + httpPort, dir);
    }

    /** One entry of devstack.json's {@code replicas}. */
    static JsonObject describe(String serverName, String replicaName, String base, Path serverDir) {
        return Json.createObjectBuilder()
                .add("server", serverName)
                .add("replicaName", replicaName)
                .add("baseUrl", base)
                .add("graphqlUrl", base + "/graphql")
                .add("wsUrl", base.replace("http://", "ws://") + "/graphql/ws")
                .add("healthUrl", base + "/health/ready")
                .add("libertyLog", serverDir.resolve("logs/messages.log").toString())
                .build();
    }

    /** The banner's lines for replicas 2…N (none for one). */
    static String lines(List<Replica> replicas) {
        return replicas.stream().map(r -> "\n   Replica : " + r.base() + "  (" + r.replicaName() + ", " + r.serverName() + ")")
                .collect(Collectors.joining());
    }
}
