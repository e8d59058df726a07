package io.coherence.perf;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.http.action.ws.WsInboundMessage;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed's fan-out test over graphql-transport-ws. -Dsubscribers (100) Gatling WebSocket users
 * subscribe to coherenceEvents of one tenant; after -Dwarmup seconds (5) a publisher POSTs
 * -Drate (200) new signals per second, -DperRequest (2) per request, for -Dduration seconds (30),
 * then the subscribers read for -Ddrain seconds (5) more and close.
 *
 * <p>Gatling records no custom metric, so the subscribers hand the frames Gatling buffered for them
 * (processUnmatchedMessages, once a second; each carries Gatling's arrival time, in ms) to
 * {@link Events}, and {@link #after()} writes {@code <slo.out>/fanout-events.json}: latency =
 * arrival − the event's committedAt (client and server share the clock), expected = signals the
 * publisher got 202 for × subscribers that subscribed, received = distinct (subscriber, sequence)
 * pairs of this run's signals, missed = expected − received. perf/slo.sh gates on it.
 */
public class FanoutSimulation extends Simulation {

    static final String SUBSCRIPTION = "subscription($t: ID!){ coherenceEvents(tenantId: $t){ id sequence committedAt } }";
    static final Duration RAMP = Duration.ofSeconds(2);

    final Target target = Target.fromSystemProperties();
    final int subscribers = Target.intProp("subscribers", Target.intProp("users", 100));
    final int rate = Target.intProp("rate", 200);
    final int perRequest = Target.intProp("perRequest", 2);
    final Duration duration = Duration.ofSeconds(Target.intProp("duration", 30));
    final Duration warmup = Duration.ofSeconds(Target.intProp("warmup", 5));
    final Duration drain = Duration.ofSeconds(Target.intProp("drain", 5));
    final Path out = Path.of(System.getProperty("slo.out", "target/slo"));
    // This run's signal ids start with it, so other writers' events on the tenant are not counted.
    final String run = "fanout-" + UUID.randomUUID().toString().substring(0, 8);
    final Events events = new Events(run + "-");

    final ScenarioBuilder subscriber = scenario("subscribers")
            .exec(ws("connect").connect("/graphql/ws").subprotocol("graphql-transport-ws"))
            .exec(ws("connection_init")
                    .sendText("{\"type\":\"connection_init\",\"payload\":{\"Authorization\":\"Bearer " + target.token + "\"}}")
                    .await(10).on(ws.checkTextMessage("connection_ack").check(jsonPath("$.type").is("connection_ack"))))
            .exec(ws("subscribe").sendText("{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"" + SUBSCRIPTION
                    + "\",\"variables\":{\"t\":\"" + target.tenant + "\"}}}"))
            .exitHereIfFailed()
            .exec(session -> {
                events.subscribed.incrementAndGet();
                return session;
            })
            // Bounded: the publisher's whole window plus the drain, then one last read and close.
            .during(RAMP.plus(warmup).plus(duration).plus(drain)).on(
                    pause(1).exec(ws.processUnmatchedMessages(events::take)))
            .exec(ws.processUnmatchedMessages(events::take))
            .exec(ws("close").close());

    final ScenarioBuilder publisher = scenario("publisher")
            .exec(http("publish").post("/v1/coherence/signals")
                    .body(StringBody(session -> IngestSimulation.batch(target.tenant, perRequest, run)))
                    .check(status().is(202), jsonPath("$.accepted").ofInt().saveAs("accepted")))
            .exec(session -> {
                if (session.contains("accepted")) {
                    events.accepted.addAndGet(session.getInt("accepted"));
                }
                return session;
            });

    {
        setUp(
                subscriber.injectOpen(rampUsers(subscribers).during(RAMP)),
                publisher.injectOpen(nothingFor(RAMP.plus(warmup)), constantUsersPerSec(rate / (double) perRequest).during(duration)))
                // Gatling keeps a socket's frames that no check awaited only when given room for them.
                .protocols(target.http().wsUnmatchedInboundMessageBufferSize(1_000_000));
    }

    @Override
    public void after() {
        long[] latencies = events.latencies();
        long subscribed = events.subscribed.get();
        long expected = events.accepted.get() * subscribed;
        long received = events.received();
        String json = String.format(Locale.ROOT, "{\"run\":\"%s\",\"tenant\":\"%s\",\"subscribers\":%d,\"subscribed\":%d,"
                        + "\"targetRate\":%d,\"perRequest\":%d,\"durationSeconds\":%d,\"accepted\":%d,\"expected\":%d,"
                        + "\"received\":%d,\"missed\":%d,\"duplicates\":%d,\"serverReportedMissed\":%d,\"otherEvents\":%d,"
                        + "\"otherMessages\":%d,\"latencyMs\":{\"count\":%d,\"p50\":%.1f,\"p95\":%.1f,\"p99\":%.1f,\"max\":%.1f},"
                        + "\"latencyResolution\":\"1 ms (Gatling stamps frame arrival in ms)\"}",
                run, target.tenant, subscribers, subscribed, rate, perRequest, duration.toSeconds(), events.accepted.get(),
                expected, received, expected - received, events.duplicates.get(), events.serverMissed.get(),
                events.other.get(), events.otherMessages.get(), latencies.length, pct(latencies, 50), pct(latencies, 95),
                pct(latencies, 99), latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1000.0);
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("fanout-events.json"), json + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("fanout events: " + json);
    }

    static double pct(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1000.0;
    }

    /** What the subscribers received; called from Gatling's threads, hence the locks and atomics. */
    static final class Events {
        static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]*)\"");
        static final Pattern SEQUENCE = Pattern.compile("\"sequence\"\\s*:\\s*\"?(\\d+)");
        static final Pattern COMMITTED = Pattern.compile("\"committedAt\"\\s*:\\s*\"([^\"]*)\"");
        static final Pattern MISSED = Pattern.compile("\"missed\"\\s*:\\s*(\\d+)");

        final String prefix;
        final AtomicLong subscribed = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong serverMissed = new AtomicLong();
        final AtomicLong other = new AtomicLong();
        final AtomicLong otherMessages = new AtomicLong();
        final ConcurrentHashMap<Long, Set<Long>> sequencesBySubscriber = new ConcurrentHashMap<>();
        private long[] latencyMicros = new long[1 << 16];
        private int count;

        Events(String prefix) {
            this.prefix = prefix;
        }

        Session take(List<WsInboundMessage> messages, Session session) {
            Set<Long> seen = sequencesBySubscriber.computeIfAbsent(session.userId(), k -> new HashSet<>());
            for (WsInboundMessage m : messages) {
                String text = m instanceof WsInboundMessage.Text t ? t.message() : "";
                int at = text.indexOf("\"coherenceEvents\"");
                if (at < 0 || text.contains("\"errors\"")) {
                    // A next with errors (EVENTS_DROPPED / EVENTS_RATE_LIMITED carry "missed"), error, complete, ...
                    Matcher missed = MISSED.matcher(text);
                    if (missed.find()) {
                        serverMissed.addAndGet(Long.parseLong(missed.group(1)));
                    }
                    otherMessages.incrementAndGet();
                    continue;
                }
                String event = text.substring(at);
                Matcher id = ID.matcher(event);
                Matcher seq = SEQUENCE.matcher(event);
                Matcher committed = COMMITTED.matcher(event);
                if (!id.find() || !id.group(1).startsWith(prefix) || !seq.find() || !committed.find()) {
                    other.incrementAndGet();
                    continue;
                }
                if (!seen.add(Long.parseLong(seq.group(1)))) {
                    duplicates.incrementAndGet();
                    continue;
                }
                Instant commit = OffsetDateTime.parse(committed.group(1)).toInstant();
                record(m.timestamp() * 1000 - (commit.getEpochSecond() * 1_000_000 + commit.getNano() / 1000));
            }
            return session;
        }

        synchronized void record(long micros) {
            if (count == latencyMicros.length) {
                latencyMicros = Arrays.copyOf(latencyMicros, count * 2);
            }
            latencyMicros[count++] = micros;
        }

        synchronized long[] latencies() {
            long[] sorted = Arrays.copyOf(latencyMicros, count);
            Arrays.sort(sorted);
            return sorted;
        }

        long received() {
            return sequencesBySubscriber.values().stream().mapToLong(Set::size).sum();
        }
    }
}
