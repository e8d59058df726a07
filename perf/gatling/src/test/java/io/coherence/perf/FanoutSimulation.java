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
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed's fan-out test over graphql-transport-ws. -Dsubscribers (100) subscribe to
 * coherenceEvents of one tenant; after -Dwarmup seconds (3) a Gatling publisher POSTs -Drate (200)
 * new signals per second, -DperRequest (2) per request, for -Dduration seconds (30); then up to
 * -Ddrain seconds (5) for events in flight.
 *
 * <p>Subscribers: -Dsubscriber=gatling (default) makes them Gatling WebSocket users that hand the
 * frames Gatling buffered for them (processUnmatchedMessages, once a second; each frame carries
 * Gatling's arrival time, in ms) to {@link Events}. -Dsubscriber=jdk opens them in {@link #before()}
 * with the JDK's WebSocket client instead (three threads for all sockets, as perf/FanoutProbe.java
 * does; arrival in us): a cross-check of the Gatling figures, same collector, same publisher.
 *
 * <p>Gatling has no custom metric, so {@link #after()} writes {@code <slo.out>/fanout-events.json}:
 * latency = arrival − the event's committedAt (client and server share the clock); expected =
 * max(signals answered 202, distinct signals of this run any subscriber saw) × subscribers that
 * subscribed (a publish that timed out may still have committed); received = distinct
 * (subscriber, sequence) pairs of this run's signals; missed = expected − received.
 */
public class FanoutSimulation extends Simulation {

    static final String SUBSCRIPTION = "subscription($t: ID!){ coherenceEvents(tenantId: $t){ id sequence committedAt } }";
    static final Duration RAMP = Duration.ofSeconds(2);

    final Target target = Target.fromSystemProperties();
    final int subscribers = Target.intProp("subscribers", Target.intProp("users", 100));
    final int rate = Target.intProp("rate", 200);
    final int perRequest = Target.intProp("perRequest", 2);
    final Duration duration = Duration.ofSeconds(Target.intProp("duration", 30));
    final Duration warmup = Duration.ofSeconds(Target.intProp("warmup", 3));
    final Duration drain = Duration.ofSeconds(Target.intProp("drain", 5));
    final boolean gatlingSubscribers = !"jdk".equals(System.getProperty("subscriber", "gatling"));
    final Path out = Path.of(System.getProperty("slo.out", "target/slo"));
    // This run's signal ids start with it, so other writers' events on the tenant are not counted.
    final String run = "fanout-" + UUID.randomUUID().toString().substring(0, 8);
    final Events events = new Events(run + "-");
    final String init = "{\"type\":\"connection_init\",\"payload\":{\"Authorization\":\"Bearer " + target.token + "\"}}";
    final String subscribe = "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"" + SUBSCRIPTION
            + "\",\"variables\":{\"t\":\"" + target.tenant + "\"}}}";
    final List<WebSocket> jdkSockets = new ArrayList<>();
    ExecutorService jdkThreads;

    final ScenarioBuilder gatlingSubscriber = scenario("subscribers")
            .exec(ws("connect").connect("/graphql/ws").subprotocol("graphql-transport-ws"))
            .exec(ws("connection_init").sendText(init)
                    .await(10).on(ws.checkTextMessage("connection_ack").check(jsonPath("$.type").is("connection_ack"))))
            .exec(ws("subscribe").sendText(subscribe))
            .exitHereIfFailed()
            .exec(session -> {
                events.subscribed.incrementAndGet();
                return session;
            })
            // Bounded: the publisher's whole window plus the drain, then one last read and close.
            .during(RAMP.plus(warmup).plus(duration).plus(drain)).on(pause(1).exec(ws.processUnmatchedMessages((messages, session) -> {
                for (WsInboundMessage m : messages) {
                    if (m instanceof WsInboundMessage.Text t) {
                        events.onMessage(session.userId(), m.timestamp() * 1000, t.message());
                    }
                }
                return session;
            })))
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
        // Every publish is a new Gatling user (open model, a fixed rate); they share one pool of
        // connections, as a real ingest client would. With a new connection each, 100 connects/s
        // on the 2-core machine made publishes time out after 10 s.
        PopulationBuilder publish = publisher.injectOpen(nothingFor(gatlingSubscribers ? RAMP.plus(warmup) : warmup),
                constantUsersPerSec(rate / (double) perRequest).during(duration)).protocols(target.http().shareConnections());
        if (gatlingSubscribers) {
            // Gatling keeps a socket's frames that no check awaited only when given room for them.
            setUp(gatlingSubscriber.injectOpen(rampUsers(subscribers).during(RAMP))
                    .protocols(target.http().wsUnmatchedInboundMessageBufferSize(1_000_000)), publish);
        } else {
            setUp(publish);
        }
    }

    /** JDK subscribers: all connected, acknowledged and subscribed before Gatling starts the publisher. */
    /** The server's commit -> socket-write histogram (cumulative buckets) when the run starts. */
    Map<String, Double> serverBefore = Map.of();

    @Override
    public void before() {
        serverBefore = serverHistogram();
        if (gatlingSubscribers) {
            return;
        }
        jdkThreads = Executors.newFixedThreadPool(3);
        HttpClient client = HttpClient.newBuilder().executor(jdkThreads).build();
        URI uri = URI.create(target.wsBaseUrl + "/graphql/ws");
        List<JdkSubscriber> subs = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            JdkSubscriber s = new JdkSubscriber(i);
            subs.add(s);
            client.newWebSocketBuilder().subprotocols("graphql-transport-ws").connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(uri, s).thenAccept(w -> w.sendText(init, true));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (JdkSubscriber s : subs) {
            try {
                if (s.acked.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    s.socket.sendText(subscribe, true).join();
                    jdkSockets.add(s.socket);
                    events.subscribed.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        System.out.printf("fanout: %d of %d JDK subscribers acknowledged and subscribed%n", jdkSockets.size(), subscribers);
    }

    @Override
    public void after() {
        if (!gatlingSubscribers) {
            events.awaitAll(drain);
            jdkSockets.forEach(w -> w.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
            jdkThreads.shutdown();
        }
        String server = serverSide(serverBefore, serverHistogram());
        long[] latencies = events.latencies();
        long subscribed = events.subscribed.get();
        long published = events.published();
        long expected = published * subscribed;
        long received = events.received.get();
        String json = String.format(Locale.ROOT, "{\"run\":\"%s\",\"tenant\":\"%s\",\"subscriber\":\"%s\",\"subscribers\":%d,"
                        + "\"subscribed\":%d,\"targetRate\":%d,\"perRequest\":%d,\"durationSeconds\":%d,\"accepted\":%d,"
                        + "\"published\":%d,\"expected\":%d,\"received\":%d,\"missed\":%d,\"duplicates\":%d,"
                        + "\"serverReportedMissed\":%d,\"otherEvents\":%d,\"otherMessages\":%d,"
                        + "\"latencyMs\":{\"count\":%d,\"p50\":%.1f,\"p95\":%.1f,\"p99\":%.1f,\"max\":%.1f},"
                        + "\"latencyResolution\":\"%s\",\"server\":%s}",
                run, target.tenant, gatlingSubscribers ? "gatling" : "jdk", subscribers, subscribed, rate, perRequest,
                duration.toSeconds(), events.accepted.get(), published, expected, received, expected - received,
                events.duplicates.get(), events.serverMissed.get(), events.other.get(), events.otherMessages.get(),
                latencies.length, pct(latencies, 50), pct(latencies, 95), pct(latencies, 99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1000.0,
                gatlingSubscribers ? "1 ms (Gatling stamps frame arrival in ms)" : "1 us", server);
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("fanout-events.json"), json + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("fanout events: " + json);
    }

    /**
     * subscription_fanout_latency_ms buckets from the server's /metrics (empty when it has none).
     * Not gated: it tells a server that wrote late from a client that read late.
     */
    Map<String, Double> serverHistogram() {
        Map<String, Double> buckets = new TreeMap<>();
        try {
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(target.baseUrl + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^subscription_fanout_latency_ms_bucket\\{.*le=\"([^\"]+)\".*\\} (\\S+)$").matcher(text);
            while (m.find()) {
                buckets.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("fanout: no server histogram: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return buckets;
    }

    /** The run's share of frames the server wrote within each bucket, as JSON ({} without /metrics). */
    static String serverSide(Map<String, Double> before, Map<String, Double> after) {
        double total = after.getOrDefault("+Inf", 0.0) - before.getOrDefault("+Inf", 0.0);
        if (total <= 0) {
            return "{}";
        }
        StringBuilder b = new StringBuilder("{\"metric\":\"subscription_fanout_latency_ms (commit -> socket write)\",\"frames\":")
                .append((long) total).append(",\"withinMsPct\":{");
        after.entrySet().stream().filter(e -> !e.getKey().equals("+Inf"))
                .sorted(Comparator.comparingDouble(e -> Double.parseDouble(e.getKey())))
                .forEach(e -> b.append(String.format(Locale.ROOT, "\"%s\":%.2f,", e.getKey().replaceAll("\\.0$", ""),
                        100 * (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) / total)));
        b.setLength(b.length() - 1);
        return b.append("}}").toString();
    }

    static double pct(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1000.0;
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    /** One JDK WebSocket subscriber: waits for connection_ack, then hands every message to the collector. */
    final class JdkSubscriber implements WebSocket.Listener {
        final long id;
        final CountDownLatch acked = new CountDownLatch(1);
        final StringBuilder partial = new StringBuilder();
        volatile WebSocket socket;

        JdkSubscriber(long id) {
            this.id = id;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (acked.getCount() > 0 && text.contains("\"connection_ack\"")) {
                    acked.countDown();
                } else {
                    events.onMessage(id, nowMicros(), text);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.onMessage(id, nowMicros(), "close " + statusCode + " " + reason);
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * What the subscribers received. 20,000 frames/s must not cost the machine the server needs, so
     * the hot path is indexOf and a hand-rolled timestamp parser (regex and OffsetDateTime.parse
     * made the collector itself fall seconds behind on 2 cores), and each subscriber keeps its own
     * state: its frames arrive one at a time, so only the totals are shared.
     */
    static final class Events {
        final String prefix;
        final AtomicLong subscribed = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong serverMissed = new AtomicLong();
        final AtomicLong other = new AtomicLong();
        final AtomicLong otherMessages = new AtomicLong();
        final ConcurrentHashMap<Long, Sub> subs = new ConcurrentHashMap<>();

        Events(String prefix) {
            this.prefix = prefix;
        }

        /** One subscriber's events: sequences seen (a bit per sequence above its first) and latencies. */
        static final class Sub {
            final BitSet seen = new BitSet();
            final Set<Long> seenBelowBase = new HashSet<>();
            long base = -1;
            long count;
            long[] latencyMicros = new long[1 << 12];
            String datePrefix;
            long dateEpochSecond;
        }

        void onMessage(long subscriber, long arrivalMicros, String text) {
            int root = text.indexOf("\"coherenceEvents\"");
            if (root < 0 || text.contains("\"errors\"")) {
                // A next with errors (EVENTS_DROPPED / EVENTS_RATE_LIMITED carry "missed"), error, complete, close.
                int m = text.indexOf("\"missed\":");
                if (m >= 0) {
                    serverMissed.addAndGet(number(text, m + 9));
                }
                otherMessages.incrementAndGet();
                return;
            }
            int idAt = text.indexOf("\"id\":\"", root) + 6;
            int seqAt = text.indexOf("\"sequence\":", root) + 11;
            int atAt = text.indexOf("\"committedAt\":\"", root) + 15;
            if (idAt < 6 || seqAt < 11 || atAt < 15 || !text.startsWith(prefix, idAt)) {
                other.incrementAndGet();
                return;
            }
            Sub sub = subs.computeIfAbsent(subscriber, k -> new Sub());
            long seq = number(text, seqAt);
            if (sub.base < 0) {
                sub.base = seq;
            }
            boolean duplicate = seq >= sub.base ? sub.seen.get((int) (seq - sub.base)) : !sub.seenBelowBase.add(seq);
            if (duplicate) {
                duplicates.incrementAndGet();
                return;
            }
            if (seq >= sub.base) {
                sub.seen.set((int) (seq - sub.base));
            }
            long latency = arrivalMicros - epochMicros(sub, text, atAt, text.indexOf('"', atAt));
            if (sub.count == sub.latencyMicros.length) {
                sub.latencyMicros = Arrays.copyOf(sub.latencyMicros, sub.latencyMicros.length * 2);
            }
            sub.latencyMicros[(int) sub.count++] = latency;
            received.incrementAndGet();
        }

        /** Signals that reached subscribers: those answered 202, or more if a timed-out publish committed. */
        long published() {
            return Math.max(accepted.get(), subs.values().stream().mapToLong(s -> s.count).max().orElse(0));
        }

        /** Polls until every subscriber has every published event, at most {@code max}. */
        void awaitAll(Duration max) {
            long deadline = System.nanoTime() + max.toNanos();
            while (received.get() < published() * subscribed.get() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }

        long[] latencies() {
            long[] all = subs.values().stream().flatMapToLong(s -> Arrays.stream(s.latencyMicros, 0, (int) s.count)).toArray();
            Arrays.sort(all);
            return all;
        }

        static long number(String s, int at) {
            while (at < s.length() && (s.charAt(at) == ' ' || s.charAt(at) == '"')) {
                at++;
            }
            long n = 0;
            for (; at < s.length() && Character.isDigit(s.charAt(at)); at++) {
                n = n * 10 + (s.charAt(at) - '0');
            }
            return n;
        }

        /** yyyy-mm-ddThh:mm:ss[.fraction]Z without a parser on the hot path; anything else via Instant.parse. */
        static long epochMicros(Sub sub, String s, int from, int to) {
            if (to - from < 20 || s.charAt(to - 1) != 'Z' || s.charAt(from + 10) != 'T') {
                Instant i = OffsetDateTime.parse(s.substring(from, to)).toInstant();
                return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
            }
            if (sub.datePrefix == null || !s.startsWith(sub.datePrefix, from)) {
                sub.datePrefix = s.substring(from, from + 10);
                sub.dateEpochSecond = LocalDate.parse(sub.datePrefix).toEpochDay() * 86_400L;
            }
            long secs = sub.dateEpochSecond + two(s, from + 11) * 3600L + two(s, from + 14) * 60L + two(s, from + 17);
            long micros = 0;
            int digits = 0;
            if (s.charAt(from + 19) == '.') {
                for (int i = from + 20; i < to - 1 && digits < 6; i++, digits++) {
                    micros = micros * 10 + (s.charAt(i) - '0');
                }
            }
            for (; digits < 6; digits++) {
                micros *= 10;
            }
            return secs * 1_000_000 + micros;
        }

        static int two(String s, int at) {
            return (s.charAt(at) - '0') * 10 + (s.charAt(at + 1) - '0');
        }
    }
}
