import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in OpenTelemetry collector for benchmarks (JDK only): accepts OTLP/HTTP exports on
 * 127.0.0.1, answers 200 as a collector does, and counts requests and bytes, so that tracing's
 * cost is measured with real exports and nothing else in the way.
 *
 *   java perf/OtlpSink.java [port=4318] [seconds=3600]
 *
 * Point the service at it with OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 and
 * OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf. It prints its counts every 10 s and stops after
 * {@code seconds}.
 */
public class OtlpSink {

    public static void main(String[] args) throws IOException, InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 4318;
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 3600;
        AtomicLong requests = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", exchange -> {
            try (exchange) {
                bytes.addAndGet(exchange.getRequestBody().readAllBytes().length);
                requests.incrementAndGet();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        System.out.println("otlp sink on http://127.0.0.1:" + port);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            Thread.sleep(10_000);
            System.out.println("otlp sink: " + requests.get() + " exports, " + bytes.get() + " bytes");
        }
        server.stop(0);
    }
}
