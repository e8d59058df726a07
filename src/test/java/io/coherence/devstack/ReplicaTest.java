package io.coherence.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaTest {

    @TempDir
    Path wlp;

    private Path file(Path server, String relative, String text) throws IOException {
        Path f = server.resolve(relative);
        Files.createDirectories(f.getParent());
        return Files.writeString(f, text);
    }

    @Test
    void aReplicaIsTheFirstServersConfigurationAndApplicationWithoutItsStateAndReplacesAnOldCopy() throws IOException {
        Path first = wlp.resolve("usr/servers/coherence");
        file(first, "server.xml", "<server/>");
        file(first, "configDropins/overrides/kafka.xml", "<server>kafka</server>");
        file(first, "apps/coherence.war", "war");
        file(first, "apps/expanded/coherence.war/index.html", "expanded");
        file(first, "logs/messages.log", "log");
        file(first, "workarea/cache", "cache");
        file(first, "tranlog/log1", "tx");
        file(first, "devstack.lock", "");
        file(wlp.resolve("usr/servers/coherence-r2"), "logs/old.log", "from an earlier run");

        Replica replica = Replica.prepare(wlp, first, 2, 9081);

        Path copy = wlp.resolve("usr/servers/coherence-r2");
        assertThat(replica).isEqualTo(new Replica("coherence-r2", "devstack-2", "http://localhost:9081", copy));
        assertThat(copy.resolve("server.xml")).hasContent("<server/>");
        assertThat(copy.resolve("configDropins/overrides/kafka.xml")).hasContent("<server>kafka</server>");
        assertThat(copy.resolve("apps/coherence.war")).hasContent("war");
        for (String gone : List.of("apps/expanded", "logs", "workarea", "tranlog", "devstack.lock")) {
            assertThat(copy.resolve(gone)).as(gone).doesNotExist();
        }
    }

    @Test
    void eachReplicaIsDescribedWithItsUrlsAndTheBannerListsThem() {
        JsonObject d = Replica.describe("coherence-r3", "devstack-3", "http://localhost:9082", Path.of("/s"));

        assertThat(d.getString("wsUrl")).isEqualTo("ws://localhost:9082/graphql/ws");
        assertThat(d.getString("healthUrl")).isEqualTo("http://localhost:9082/health/ready");
        assertThat(d.getString("replicaName")).isEqualTo("devstack-3");
        assertThat(Replica.lines(List.of())).isEmpty();
        assertThat(Replica.lines(List.of(new Replica("coherence-r2", "devstack-2", "http://localhost:9081", Path.of("/s")))))
                .contains("Replica : http://localhost:9081  (devstack-2, coherence-r2)");
    }
}
