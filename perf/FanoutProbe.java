import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A subscription fan-out probe against a running Coherence (the dev stack by default). JDK only:
 *
 *   java perf/FanoutProbe.java [subscribers=100] [tenants=1] [rate=1000] [seconds=30]
 *
 * Opens {@code subscribers} graphql-transport-ws connections to wsUrl, spread round-robin over the
 * first {@code tenants} tenants of target/devstack/devstack.json (override with COHERENCE_DEVSTACK),
 * each with its own RS256 token minted from the descriptor's signingKey, and one
 * {@code coherenceEvents(tenantId)} subscription per connection. Then it ingests {@code rate} new
 * signals per second in total into those tenants (POST ingestUrl; every 10 ms one batch of
 * rate/100 signals goes to the next tenant in turn, so the request rate does not depend on the
 * number of tenants) for 3 s of warm-up plus {@code seconds} of measurement, waits up to 5 s for
 * events still in flight, and prints what follows. At most 16 ingest requests are in flight; a tick
 * that finds 16 sends nothing and the next one sends what is due, so the rate holds while the
 * server keeps up (the deferred ticks are printed).
 *
 *
 * - latency: the client's receive time (Instant.now() when the last frame of the message arrived)
 *   minus the event's committedAt. Probe and server share the machine's clock, so this is the
 *   commit→client latency: dispatch, rendering, the server's send queue, the socket and the
 *   probe's own scheduling (on a loaded machine the probe's threads wait for a core too).
 * - expected: every signal carries a probe-made id, a UUID whose high 64 bits identify the run
 *   and whose bit 60 of the low half says whether it was sent in the warm-up (0) or the measured
 *   window (1). expected = for each tenant, the signals of the measured window that the server
 *   accepted (counted from the 202 answers' "accepted") × the tenant's subscribers. received = the
 *   distinct measured-window events of this run that subscribers received (by sequence); events of
 *   other writers to the same tenants and warm-up events are counted apart and have no latency.
 *   missed = expected − received. The probe does not reconnect: a subscriber the server closed
 *   (1013 SLOW_CONSUMER, say) misses every later event, and a subscriber that never connected
 *   misses all of them. A request that failed on the client (timeout) may still have committed, so
 *   with ingest errors received can exceed expected; those are printed.
 * - server-reported missed: the sum of "missed" in next messages carrying errors
 *   (EVENTS_DROPPED: a full send queue; EVENTS_RATE_LIMITED: the tenant's event rate limit). These
 *   events are already part of missed when they were measured-window events; the figure is printed
 *   separately, not added, so nothing is counted twice.
 * - duplicates: a subscriber received a sequence number it already had. out-of-order: a
 *   subscriber received a sequence lower than the highest it had received (which includes every
 *   "lower than the previous one"). holes: sequence numbers between a subscriber's lowest and
 *   highest that it never received. All three count every event of the run (warm-up, other
 *   writers included), since sequence numbers are gapless per tenant.
 * - the achieved ingest rate (202s only), the close codes and errors the server sent, and the
 *   deltas of the server's subscription_* counters (metricsUrl, Prometheus text).
 *
 * Replicas: {@code FANOUT_SUBSCRIBE_TO} (comma-separated base URLs, e.g.
 * {@code http://localhost:9080,http://localhost:9081}) spreads the subscribers round-robin over
 * those servers, and {@code FANOUT_PUBLISH_TO} (one base URL) sends the ingest there; each server's
 * WebSocket, ingest and metrics paths are the descriptor's. Both default to the descriptor's own
 * server. With more than one subscriber server, the figures are also printed per server
 * ("group"), so events that crossed replicas and events that did not are counted apart, and the
 * server metrics are read from every server involved.
 *
 * Delivery is counted per signal and per subscriber, not as a difference of totals: the 202
 * answers list each signal's status, and a subscriber's missed events are the accepted
 * measured-window signals of its tenant that it never received; extra are measured-window signals
 * of this run it received that no 202 reported accepted (a request that timed out on the client but
 * committed). received = expected - missed + extra.
 *
 * The last line is the same figures as one JSON object.
 */
public class FanoutProbe {

    static final long WARMUP_NANOS = TimeUnit.SECONDS.toNanos(3);
    static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final long TICK_MILLIS = 10;
    static final int MAX_BATCH = 1000;
    static final int MAX_IN_FLIGHT = 16;
    static final String QUERY = "subscription($t: ID!){ coherenceEvents(tenantId: $t){ id sequence committedAt } }";
    static final String[] METRICS = {"subscription_events_sent_total", "subscription_events_dropped_total",
            "subscription_sequence_gaps_total", "subscription_events_late_total", "subscription_refusals_total",
            "subscription_events_repaired_total", "subscription_events_duplicates_dropped_total"};

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int tenantCount = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        String descriptor = Files.readString(Path.of(System.getenv().getOrDefault("COHERENCE_DEVSTACK", "target/devstack/devstack.json")));
        List<String> allTenants = tenants(descriptor);
        if (tenantCount < 1 || tenantCount > allTenants.size()) {
            throw new IllegalArgumentException("tenants must be 1.." + allTenants.size());
        }
        String[] tenants = allTenants.subList(0, tenantCount).toArray(String[]::new);
        PrivateKey key = privateKey(Path.of(field(descriptor, "signingKey")));
        String[] tokens = new String[tenantCount];
        for (int t = 0; t < tenantCount; t++) {
            tokens[t] = jwt(key, field(descriptor, "issuer"), field(descriptor, "audience"), tenants[t]);
        }
        URI wsPath = URI.create(field(descriptor, "wsUrl"));
        URI ingestPath = URI.create(field(descriptor, "ingestUrl"));
        URI metricsPath = URI.create(field(descriptor, "metricsUrl"));
        String own = ingestPath.getScheme() + "://" + ingestPath.getAuthority();
        List<String> subscribeTo = bases(System.getenv().getOrDefault("FANOUT_SUBSCRIBE_TO", own));
        String publishTo = bases(System.getenv().getOrDefault("FANOUT_PUBLISH_TO", own)).get(0);
        URI[] ws = subscribeTo.stream().map(b -> URI.create(b.replaceFirst("^http", "ws") + wsPath.getRawPath()))
                .toArray(URI[]::new);
        URI ingest = URI.create(publishTo + ingestPath.getRawPath());
        // Every server involved, publisher first: their metrics are read before and after.
        Map<String, URI> metrics = new LinkedHashMap<>();
        metrics.put(publishTo, URI.create(publishTo + metricsPath.getRawPath()));
        subscribeTo.forEach(b -> metrics.putIfAbsent(b, URI.create(b + metricsPath.getRawPath())));
        Instant startedAt = Instant.now();
        System.out.printf("fanout subscribers=%d tenants=%d rate=%d signals/s seconds=%d started=%s%n", subscribers,
                tenantCount, rate, seconds, startedAt);
        System.out.printf("publish to %s, subscribe to %s%n", publishTo, String.join(" ", subscribeTo));
        System.out.println("warm-up: the first 3 s of ingest are not counted (no latency, not expected)");
        String loadBefore = loadAverage();

        // One client (and three threads) for every socket; another for ingest and metrics.
        HttpClient wsClient = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(3, daemon("ws"))).build();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4, daemon("ingest"))).build();
        Map<String, Map<String, Double>> before = scrapeAll(http, metrics);

        Run run = new Run(tenantCount);
        List<Subscriber> subs = new ArrayList<>();
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            int t = i % tenantCount;
            int group = (i / tenantCount) % ws.length;
            Subscriber s = new Subscriber(run, t, tokens[t], tenants[t], group);
            subs.add(s);
            run.subscribersOf[t]++;
            opening.add(wsClient.newWebSocketBuilder().subprotocols("graphql-transport-ws")
                    .connectTimeout(Duration.ofSeconds(10)).buildAsync(ws[group], s)
                    .whenComplete((w, e) -> {
                        if (e != null) {
                            s.failure("connect: " + e);
                        }
                    }));
        }
        long ackDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int acked = 0;
        for (Subscriber s : subs) {
            if (s.acked.await(Math.max(0, ackDeadline - System.nanoTime()), TimeUnit.NANOSECONDS) && s.ack) {
                acked++;
            }
        }
        System.out.printf("connections: %d of %d acknowledged and subscribed%n", acked, subscribers);
        if (acked == 0) {
            printProblems(subs);
            System.exit(1);
        }

        // Ingest: warm-up, then the measured window.
        Ingest in = new Ingest(http, ingest, tenants, tokens, rate, run);
        in.runFor(WARMUP_NANOS + TimeUnit.SECONDS.toNanos(seconds));
        double measuredSeconds = (in.stoppedAt - in.startedAt - WARMUP_NANOS) / 1e9;

        // Drain: until every subscriber has its tenant's expected events, at most 5 s.
        long drainStart = System.nanoTime();
        long drained = -1;
        while (System.nanoTime() - drainStart < DRAIN_NANOS) {
            if (subs.stream().allMatch(s -> !s.ack || s.closed() || s.received() >= run.acceptedMeasured.get(s.tenant))) {
                drained = System.nanoTime() - drainStart;
                break;
            }
            Thread.sleep(20);
        }
        Map<String, Map<String, Double>> after = scrapeAll(http, metrics);
        for (Subscriber s : subs) {
            s.close();
        }

        // Figures, per subscriber server (group) and in all.
        Figures total = new Figures("all");
        Figures[] groups = new Figures[ws.length];
        for (int g = 0; g < ws.length; g++) {
            groups[g] = new Figures(subscribeTo.get(g));
        }
        for (Subscriber s : subs) {
            synchronized (s) {
                BitSet expectedOf = run.expected(s.tenant);
                for (Figures f : new Figures[] {total, groups[s.group]}) {
                    f.add(s, expectedOf);
                }
            }
        }
        for (Figures f : groups) {
            f.sortLatencies();
        }
        total.sortLatencies();
        long expected = total.expected, received = total.received, missed = total.missed, extra = total.extra;
        long duplicates = total.duplicates, outOfOrder = total.outOfOrder, holes = total.holes;
        long serverMissed = total.serverMissed, other = total.other, warmup = total.warmup;
        long[] all = total.latencies;
        Map<String, Long> missedByCode = total.missedByCode;
        double achieved = run.acceptedMeasuredTotal() / measuredSeconds;

        System.out.printf("ingest: requests=%d errors=%d%s accepted=%d (measured window %d) achieved=%.0f signals/s"
                        + " over %.1f s, target %d; ticks deferred for in-flight cap=%d%n",
                in.requests.get(), in.errors.get(), in.errorCodes.isEmpty() ? "" : " " + in.errorCodes,
                run.acceptedTotal.get(), run.acceptedMeasuredTotal(), achieved, measuredSeconds, rate, in.deferred.get());
        System.out.printf("events: expected=%d received=%d (%.3f%%) missed=%d extra=%d server-reported missed=%d%s%n", expected,
                received, expected == 0 ? 0 : 100.0 * received / expected, missed, extra, serverMissed,
                missedByCode.isEmpty() ? "" : " " + missedByCode);
        System.out.printf("order: duplicates=%d out-of-order=%d holes=%d (warm-up events=%d, other writers' events=%d)%n",
                duplicates, outOfOrder, holes, warmup, other);
        System.out.printf("latency ms (commit -> client) n=%d p50=%.1f p95=%.1f p99=%.1f max=%.1f%n", all.length,
                pct(all, 50), pct(all, 95), pct(all, 99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
        System.out.println(drained >= 0
                ? String.format("drain: every subscriber had its expected events %d ms after ingest stopped", drained / 1_000_000)
                : "drain: gave up after 5 s, events still missing");
        if (ws.length > 1) {
            for (Figures f : groups) {
                System.out.println(f.line());
            }
        }
        StringBuilder deltasJson = new StringBuilder();
        StringBuilder byServerJson = new StringBuilder();
        Map<String, Double> sum = new TreeMap<>();
        for (String server : metrics.keySet()) {
            StringBuilder deltas = new StringBuilder();
            StringBuilder json = new StringBuilder();
            for (String m : METRICS) {
                double d = after.get(server).getOrDefault(m, 0.0) - before.get(server).getOrDefault(m, 0.0);
                sum.merge(m, d, Double::sum);
                deltas.append(' ').append(m).append("=+").append(String.format("%.0f", d));
                json.append(",\"").append(m).append("\":").append(String.format("%.0f", d));
            }
            System.out.println((metrics.size() > 1 ? "server metrics delta " + server + ":" : "server metrics delta:") + deltas);
            byServerJson.append(",\"").append(server).append("\":{").append(json.substring(1)).append('}');
        }
        sum.forEach((m, d) -> deltasJson.append(",\"").append(m).append("\":").append(String.format("%.0f", d)));
        String loadAfter = loadAverage();
        System.out.printf("machine: %d cores, load average before %s, after %s%n", Runtime.getRuntime().availableProcessors(),
                loadBefore, loadAfter);
        printProblems(subs);
        System.out.printf("{\"probe\":\"fanout\",\"started\":\"%s\",\"subscribers\":%d,\"acked\":%d,\"tenants\":%d,"
                        + "\"targetRate\":%d,\"seconds\":%d,\"measuredSeconds\":%.1f,\"achievedRate\":%.0f,\"published\":%d,"
                        + "\"ingestRequests\":%d,"
                        + "\"ingestErrors\":%d,\"expected\":%d,\"received\":%d,\"missed\":%d,\"extra\":%d,"
                        + "\"serverReportedMissed\":%d,\"duplicates\":%d,\"outOfOrder\":%d,\"holes\":%d,\"p50Ms\":%.1f,"
                        + "\"p95Ms\":%.1f,\"p99Ms\":%.1f,\"maxMs\":%.1f,\"closes\":%d,\"loadBefore\":\"%s\","
                        + "\"loadAfter\":\"%s\",\"publishTo\":\"%s\",\"groups\":[%s],\"serverMetrics\":{%s},"
                        + "\"serverMetricsByServer\":{%s}}%n",
                startedAt, subscribers, acked, tenantCount, rate, seconds, measuredSeconds, achieved,
                run.acceptedMeasuredTotal(), in.requests.get(),
                in.errors.get(), expected, received, missed, extra, serverMissed, duplicates, outOfOrder, holes, pct(all, 50),
                pct(all, 95), pct(all, 99), all.length == 0 ? 0 : all[all.length - 1] / 1e6,
                subs.stream().filter(s -> s.closeCode >= 0 && !"probe done".equals(s.closeReason)).count(),
                loadBefore, loadAfter, publishTo,
                String.join(",", Arrays.stream(groups).map(Figures::json).toArray(String[]::new)),
                deltasJson.substring(1), byServerJson.substring(1));
        System.exit(0);
    }

    /** Shared counters: the signals the server accepted, per tenant, in the measured window. */
    static final class Run {
        final long runBits = ThreadLocalRandom.current().nextLong();
        final String runPrefix = new UUID(runBits, 0).toString().substring(0, 19);
        final int[] subscribersOf;
        final AtomicLongArray acceptedMeasured;
        final AtomicLong acceptedTotal = new AtomicLong();
        final AtomicLong signalCounter = new AtomicLong();
        /** Per tenant, the counters of the measured-window signals a 202 reported accepted. */
        private final BitSet[] expected;

        Run(int tenants) {
            subscribersOf = new int[tenants];
            acceptedMeasured = new AtomicLongArray(tenants);
            expected = new BitSet[tenants];
            for (int t = 0; t < tenants; t++) {
                expected[t] = new BitSet();
            }
        }

        void accepted(int tenant, long counter) {
            synchronized (expected[tenant]) {
                expected[tenant].set((int) counter);
            }
        }

        BitSet expected(int tenant) {
            synchronized (expected[tenant]) {
                return (BitSet) expected[tenant].clone();
            }
        }

        /** The counter of a signal id of this run (the low half without its measured bit). */
        static long counter(String signalId) {
            return UUID.fromString(signalId).getLeastSignificantBits() & ((1L << 60) - 1);
        }

        long acceptedMeasuredTotal() {
            long sum = 0;
            for (int t = 0; t < acceptedMeasured.length(); t++) {
                sum += acceptedMeasured.get(t);
            }
            return sum;
        }

        /** A new signal id of this run; measured-window ids have bit 60 of the low half set. */
        String signalId(boolean measured) {
            return new UUID(runBits, (measured ? 1L << 60 : 0) | signalCounter.incrementAndGet()).toString();
        }
    }

    /** Open-loop ingest at a fixed rate: a 10 ms tick, posts on the client's threads. */
    static final class Ingest {
        final HttpClient http;
        final URI url;
        final String[] tenants;
        final String[] tokens;
        final int rate;
        final Run run;
        final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        final AtomicLong requests = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong deferred = new AtomicLong();
        final Map<String, Long> errorCodes = new ConcurrentHashMap<>();
        long scheduled;
        int next;
        long startedAt;
        long stoppedAt;

        Ingest(HttpClient http, URI url, String[] tenants, String[] tokens, int rate, Run run) {
            this.http = http;
            this.url = url;
            this.tenants = tenants;
            this.tokens = tokens;
            this.rate = rate;
            this.run = run;
        }

        void runFor(long nanos) throws InterruptedException {
            ScheduledExecutorService tick = Executors.newSingleThreadScheduledExecutor(daemon("tick"));
            startedAt = System.nanoTime();
            CountDownLatch done = new CountDownLatch(1);
            tick.scheduleAtFixedRate(() -> {
                long elapsed = System.nanoTime() - startedAt;
                if (elapsed >= nanos) {
                    done.countDown();
                    return;
                }
                tick(elapsed);
            }, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
            done.await();
            tick.shutdownNow();
            tick.awaitTermination(5, TimeUnit.SECONDS);
            stoppedAt = System.nanoTime();
            // Answers still on their way belong to the window they were sent in.
            if (!inFlight.tryAcquire(MAX_IN_FLIGHT, 30, TimeUnit.SECONDS)) {
                System.out.println("ingest: requests still unanswered 30 s after the end");
            }
        }

        private void tick(long elapsed) {
            long due = (long) (rate * (elapsed / 1e9)) - scheduled;
            if (due <= 0) {
                return;
            }
            if (!inFlight.tryAcquire()) {
                deferred.incrementAndGet();
                return;
            }
            int n = (int) Math.min(due, MAX_BATCH);
            scheduled += n;
            int t = next++ % tenants.length;
            boolean measured = elapsed >= WARMUP_NANOS;
            requests.incrementAndGet();
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + tokens[t])
                    .POST(HttpRequest.BodyPublishers.ofString(body(tenants[t], n, measured))).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                try {
                    if (e == null && r.statusCode() == 202) {
                        List<String> accepted = acceptedIds(r.body());
                        run.acceptedTotal.addAndGet(accepted.size());
                        if (measured) {
                            run.acceptedMeasured.addAndGet(t, accepted.size());
                            accepted.forEach(id -> run.accepted(t, Run.counter(id)));
                        }
                    } else {
                        errors.incrementAndGet();
                        errorCodes.merge(e != null ? e.getClass().getSimpleName() : String.valueOf(r.statusCode()), 1L, Long::sum);
                    }
                } finally {
                    inFlight.release();
                }
            });
        }

        private String body(String tenant, int n, boolean measured) {
            StringBuilder b = new StringBuilder(n * 170).append('[');
            String now = Instant.now().toString();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : ",").append("{\"tenantId\":\"").append(tenant)
                        .append("\",\"type\":\"fanout\",\"value\":").append(random.nextInt(1001) / 1000.0)
                        .append(",\"source\":\"fanout-probe\",\"signalId\":\"").append(run.signalId(measured))
                        .append("\",\"ts\":\"").append(now).append("\"}");
            }
            return b.append(']').toString();
        }

        private static final Pattern ITEM = Pattern.compile("\\{[^{}]*\"signalId\"[^{}]*\\}");
        private static final Pattern SIGNAL_ID = Pattern.compile("\"signalId\"\\s*:\\s*\"([^\"]+)\"");
        private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([^\"]+)\"");

        /** The ids the answer lists with status "accepted" (a duplicate was stored before: not new). */
        private static List<String> acceptedIds(String body) {
            List<String> ids = new ArrayList<>();
            Matcher item = ITEM.matcher(body);
            while (item.find()) {
                Matcher id = SIGNAL_ID.matcher(item.group());
                Matcher status = STATUS.matcher(item.group());
                if (id.find() && status.find() && status.group(1).equals("accepted")) {
                    ids.add(id.group(1));
                }
            }
            return ids;
        }
    }

    /** One connection with one subscription; callbacks are serialised by request(1). */
    static final class Subscriber implements WebSocket.Listener {
        final Run run;
        final int tenant;
        final String token;
        final String tenantId;
        final CountDownLatch acked = new CountDownLatch(1);
        volatile boolean ack;
        final StringBuilder partial = new StringBuilder();
        final int group;
        final BitSet seen = new BitSet();
        /** Counters of the measured-window signals of this run received, for the exact count. */
        final BitSet receivedIds = new BitSet();
        final Set<Long> seenBelowBase = new HashSet<>();
        final Map<String, Long> missedByCode = new TreeMap<>();
        final List<String> problems = new ArrayList<>();
        volatile WebSocket socket;
        CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);
        long base = -1;
        long minSeq = Long.MAX_VALUE;
        long maxSeq = Long.MIN_VALUE;
        long measured;
        long warmup;
        long other;
        long duplicates;
        long outOfOrder;
        long serverMissed;
        long[] latency = new long[4096];
        int latencyCount;
        volatile int closeCode = -1;
        volatile String closeReason;
        String datePrefix;
        long dateEpochSecond;

        Subscriber(Run run, int tenant, String token, String tenantId, int group) {
            this.run = run;
            this.tenant = tenant;
            this.token = token;
            this.tenantId = tenantId;
            this.group = group;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            send("{\"type\":\"connection_init\",\"payload\":{\"Authorization\":\"Bearer " + token + "\"}}");
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (!last) {
                partial.append(data);
                webSocket.request(1);
                return null;
            }
            Instant now = Instant.now();
            String text;
            if (partial.length() > 0) {
                text = partial.append(data).toString();
                partial.setLength(0);
            } else {
                text = data.toString();
            }
            try {
                message(text, now.getEpochSecond() * 1_000_000_000L + now.getNano());
            } catch (RuntimeException e) {
                failure("unparsable message " + abbreviate(text) + ": " + e);
            }
            webSocket.request(1);
            return null;
        }

        private void message(String text, long receivedNanos) {
            if (text.contains("\"type\":\"next\"")) {
                if (text.contains("\"errors\"")) {
                    missedNotice(text);
                } else {
                    event(text, receivedNanos);
                }
            } else if (text.contains("\"type\":\"connection_ack\"")) {
                send("{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"" + QUERY
                        + "\",\"variables\":{\"t\":\"" + tenantId + "\"}}}");
                ack = true;
                acked.countDown();
            } else if (text.contains("\"type\":\"ping\"")) {
                send("{\"type\":\"pong\"}");
            } else if (!text.contains("\"type\":\"pong\"")) {
                failure("server sent " + abbreviate(text));
            }
        }

        private synchronized void event(String text, long receivedNanos) {
            int root = text.indexOf("\"coherenceEvents\"");
            int idAt = text.indexOf("\"id\":\"", root) + 6;
            String id = text.substring(idAt, text.indexOf('"', idAt));
            int seqAt = text.indexOf("\"sequence\":", root) + 11;
            long seq = number(text, seqAt);
            if (base < 0) {
                base = seq;
            }
            boolean duplicate;
            if (seq >= base) {
                duplicate = seen.get((int) (seq - base));
                seen.set((int) (seq - base));
            } else {
                duplicate = !seenBelowBase.add(seq);
            }
            if (duplicate) {
                duplicates++;
                return;
            }
            if (seq < maxSeq) {
                outOfOrder++;
            }
            maxSeq = Math.max(maxSeq, seq);
            minSeq = Math.min(minSeq, seq);
            if (!id.startsWith(run.runPrefix)) {
                other++;
                return;
            }
            if (id.charAt(19) != '1') {
                warmup++;
                return;
            }
            measured++;
            receivedIds.set((int) Run.counter(id));
            int atAt = text.indexOf("\"committedAt\":\"", root) + 15;
            long committed = epochNanos(text, atAt, text.indexOf('"', atAt));
            if (latencyCount == latency.length) {
                latency = Arrays.copyOf(latency, latency.length * 2);
            }
            latency[latencyCount++] = receivedNanos - committed;
        }

        private synchronized void missedNotice(String text) {
            Matcher code = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]+)\"").matcher(text);
            Matcher missed = Pattern.compile("\"missed\"\\s*:\\s*(\\d+)").matcher(text);
            long n = missed.find() ? Long.parseLong(missed.group(1)) : 0;
            serverMissed += n;
            missedByCode.merge(code.find() ? code.group(1) : "unknown", n, Long::sum);
        }

        /** Instant.toString() form, yyyy-mm-ddThh:mm:ss[.fraction]Z, without a parser on the hot path. */
        private long epochNanos(String s, int from, int to) {
            if (to - from < 20 || s.charAt(to - 1) != 'Z' || s.charAt(from + 10) != 'T') {
                Instant i = Instant.parse(s.substring(from, to));
                return i.getEpochSecond() * 1_000_000_000L + i.getNano();
            }
            if (datePrefix == null || !s.regionMatches(from, datePrefix, 0, 10)) {
                datePrefix = s.substring(from, from + 10);
                dateEpochSecond = LocalDate.parse(datePrefix).toEpochDay() * 86_400L;
            }
            long secs = dateEpochSecond + two(s, from + 11) * 3600L + two(s, from + 14) * 60L + two(s, from + 17);
            long nanos = 0;
            if (s.charAt(from + 19) == '.') {
                int digits = 0;
                for (int i = from + 20; i < to - 1; i++, digits++) {
                    nanos = nanos * 10 + (s.charAt(i) - '0');
                }
                for (; digits < 9; digits++) {
                    nanos *= 10;
                }
            }
            return secs * 1_000_000_000L + nanos;
        }

        private static int two(String s, int at) {
            return (s.charAt(at) - '0') * 10 + (s.charAt(at + 1) - '0');
        }

        private static long number(String s, int at) {
            long n = 0;
            for (int i = at; i < s.length() && Character.isDigit(s.charAt(i)); i++) {
                n = n * 10 + (s.charAt(i) - '0');
            }
            return n;
        }

        /** Sequence numbers between the lowest and the highest received that never arrived. */
        long holes() {
            if (base < 0) {
                return 0;
            }
            return (maxSeq - minSeq + 1) - (seen.cardinality() + seenBelowBase.size());
        }

        synchronized long received() {
            return measured;
        }

        boolean closed() {
            return closeCode >= 0;
        }

        /** Sends one message after the previous one went out (WebSocket allows one send at a time). */
        private synchronized void send(String text) {
            WebSocket w = socket;
            sending = sending.handle((x, e) -> null).thenCompose(x -> w.sendText(text, true));
        }

        void close() {
            WebSocket w = socket;
            if (w != null && !w.isOutputClosed()) {
                synchronized (this) {
                    sending = sending.handle((x, e) -> null).thenCompose(x -> w.sendClose(WebSocket.NORMAL_CLOSURE, "probe done"));
                }
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode = statusCode;
            closeReason = reason;
            acked.countDown();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            StackTraceElement[] at = error.getStackTrace();
            failure("socket error: " + error + (error.getCause() == null ? "" : " (" + error.getCause() + ")")
                    + (at.length > 0 ? " at " + at[0] : ""));
        }

        synchronized void failure(String problem) {
            if (problems.size() < 5) {
                problems.add(problem);
            }
            acked.countDown();
        }
    }

    /** The figures of a set of subscribers: all of them, or those of one server. */
    static final class Figures {
        final String name;
        int subscribers;
        long expected, received, missed, extra, duplicates, outOfOrder, holes, serverMissed, other, warmup;
        final Map<String, Long> missedByCode = new TreeMap<>();
        long[] latencies = new long[0];
        private int latencyCount;

        Figures(String name) {
            this.name = name;
        }

        /** Adds one subscriber (under its lock); expectedOf is its tenant's accepted signals. */
        void add(Subscriber s, BitSet expectedOf) {
            subscribers++;
            BitSet delivered = (BitSet) expectedOf.clone();
            delivered.and(s.receivedIds);
            expected += expectedOf.cardinality();
            received += s.measured;
            missed += expectedOf.cardinality() - delivered.cardinality();
            extra += s.receivedIds.cardinality() - delivered.cardinality();
            duplicates += s.duplicates;
            outOfOrder += s.outOfOrder;
            holes += s.holes();
            serverMissed += s.serverMissed;
            other += s.other;
            warmup += s.warmup;
            s.missedByCode.forEach((k, v) -> missedByCode.merge(k, v, Long::sum));
            if (latencies.length < latencyCount + s.latencyCount) {
                latencies = Arrays.copyOf(latencies, Math.max(2 * latencies.length, latencyCount + s.latencyCount));
            }
            System.arraycopy(s.latency, 0, latencies, latencyCount, s.latencyCount);
            latencyCount += s.latencyCount;
        }

        void sortLatencies() {
            latencies = Arrays.copyOf(latencies, latencyCount);
            Arrays.sort(latencies);
        }

        double max() {
            return latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6;
        }

        String line() {
            return String.format("group %s: subscribers=%d expected=%d received=%d missed=%d extra=%d duplicates=%d"
                            + " out-of-order=%d holes=%d latency ms p50=%.1f p95=%.1f p99=%.1f max=%.1f", name, subscribers,
                    expected, received, missed, extra, duplicates, outOfOrder, holes, pct(latencies, 50), pct(latencies, 95),
                    pct(latencies, 99), max());
        }

        String json() {
            return String.format("{\"subscribeTo\":\"%s\",\"subscribers\":%d,\"expected\":%d,\"received\":%d,"
                            + "\"missed\":%d,\"extra\":%d,\"serverReportedMissed\":%d,\"duplicates\":%d,"
                            + "\"outOfOrder\":%d,\"holes\":%d,\"p50Ms\":%.1f,\"p95Ms\":%.1f,\"p99Ms\":%.1f,"
                            + "\"maxMs\":%.1f}", name, subscribers, expected, received, missed, extra, serverMissed,
                    duplicates, outOfOrder, holes, pct(latencies, 50), pct(latencies, 95), pct(latencies, 99), max());
        }
    }

    /** Close codes the server sent before the probe closed, and anything unexpected, summarised. */
    static void printProblems(List<Subscriber> subs) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Subscriber s : subs) {
            if (s.closeCode >= 0 && !"probe done".equals(s.closeReason)) {
                counts.merge("close " + s.closeCode + " " + s.closeReason.replaceAll("\\d+", "#"), 1, Integer::sum);
            }
            synchronized (s) {
                s.problems.forEach(p -> counts.merge(p.replaceAll("\\d+", "#"), 1, Integer::sum));
            }
        }
        if (counts.isEmpty()) {
            System.out.println("server closes and protocol errors: none");
        } else {
            counts.forEach((k, v) -> System.out.printf("server closes and protocol errors: %d× %s%n", v, k));
        }
    }

    static String jwt(PrivateKey key, String issuer, String audience, String tenant) throws Exception {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"dev\"}";
        String claims = String.format("{\"iss\":\"%s\",\"aud\":\"%s\",\"sub\":\"probe:%s\",\"tenant\":\"%s\","
                + "\"scope\":\"coherence:read coherence:write\",\"iat\":%d,\"exp\":%d}", issuer, audience, tenant, tenant, now, now + 3600);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64.encodeToString(rsa.sign());
    }

    static PrivateKey privateKey(Path pem) throws Exception {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** Comma-separated base URLs (scheme://host:port), without trailing slashes. */
    static List<String> bases(String list) {
        List<String> bases = new ArrayList<>();
        for (String b : list.split(",")) {
            if (!b.isBlank()) {
                bases.add(b.trim().replaceAll("/+$", ""));
            }
        }
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("no base URL in '" + list + "'");
        }
        return bases;
    }

    /** Each server's counters, by its base URL. */
    static Map<String, Map<String, Double>> scrapeAll(HttpClient http, Map<String, URI> metrics) {
        Map<String, Map<String, Double>> all = new LinkedHashMap<>();
        metrics.forEach((server, url) -> all.put(server, scrape(http, url)));
        return all;
    }

    /** Sums each counter over its labels (Prometheus text). */
    static Map<String, Double> scrape(HttpClient http, URI metrics) {
        Map<String, Double> sums = new TreeMap<>();
        try {
            String text = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : text.split("\n")) {
                for (String m : METRICS) {
                    if (line.startsWith(m + "{") || line.startsWith(m + " ")) {
                        String value = line.substring(line.lastIndexOf(' ') + 1);
                        sums.merge(m, Double.parseDouble(value), Double::sum);
                    }
                }
            }
        } catch (Exception e) {
            System.out.println("metrics: scrape failed: " + e);
        }
        return sums;
    }

    static List<String> tenants(String json) {
        Matcher list = Pattern.compile("\"tenants\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
        if (!list.find()) {
            throw new IllegalArgumentException("tenants missing in devstack.json");
        }
        List<String> tenants = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]+)\"").matcher(list.group(1));
        while (m.find()) {
            tenants.add(m.group(1));
        }
        return tenants;
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The 1, 5 and 15 minute load averages (Linux), to show what else ran on the machine. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "n/a";
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException(name + " missing in devstack.json");
        }
        return m.group(1);
    }
}
