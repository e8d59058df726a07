package io.coherence.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The suite's options (perf/faults.sh passes them through). */
record SuiteSettings(List<Fault> faults, Duration warmUp, Duration outage, Duration before, Duration after, Duration retryWindow,
                     int writers, double writeRate, int batch, int readers, double readRate, double kafkaRate,
                     int kafkaBatch, Duration budget, Path out, Duration libertyStart) {

    static final String USAGE = """
            usage: perf/faults.sh [options]
              --faults LIST        which faults, e.g. 1,3,5 (default 1,2,3,4,5):
                                   1 kill -9 Liberty mid-ingest   2 Neo4j down   3 PostgreSQL down
                                   4 Redis down   5 Kafka consumer killed between store and offset commit
              --outage S           how long a store stays unreachable (30)
              --warm-up S          seconds of load on a fresh server before the first fault (20)
              --load-before S      seconds of load before the fault (10)
              --load-after S       seconds of load after the store (or server) is back (20)
              --retry-window S     clients retry a request until this long after the return (75)
              --writers K          HTTP writer threads (4); --write-rate R requests/s each (10)
              --batch N            signals per request and per Kafka record (5)
              --readers M          tenantCoherence reader threads (2); --read-rate R reads/s each (10)
              --kafka-rate R       Kafka records/s (10)
              --budget S           the whole run stops (and fails) after this long (1800)
              --liberty-start S    how long Liberty may take to answer ready, first and after a kill (240)
              --out DIR            where summary.json goes (target/faults)
            """;

    static SuiteSettings parse(String[] args) {
        List<Fault> faults = List.of(Fault.values());
        long warmUp = 20;
        long outage = 30;
        long before = 10;
        long after = 20;
        long retry = 75;
        int writers = 4;
        double writeRate = 10;
        int batch = 5;
        int readers = 2;
        double readRate = 10;
        double kafkaRate = 10;
        long budget = 1800;
        long libertyStart = 240;
        Path out = Path.of("target/faults");
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        // exec:exec hands over an empty argument when no options were given
        rest.removeIf(String::isBlank);
        for (int i = 0; i < rest.size(); i++) {
            String option = rest.get(i);
            if (option.equals("-h") || option.equals("--help")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= rest.size()) {
                throw new IllegalArgumentException("option " + option + " needs a value");
            }
            String value = rest.get(++i);
            switch (option) {
                case "--faults" -> faults = Arrays.stream(value.split(",")).map(String::trim)
                        .map(n -> Fault.number(Integer.parseInt(n))).distinct().toList();
                case "--warm-up" -> warmUp = Long.parseLong(value);
                case "--outage" -> outage = Long.parseLong(value);
                case "--load-before" -> before = Long.parseLong(value);
                case "--load-after" -> after = Long.parseLong(value);
                case "--retry-window" -> retry = Long.parseLong(value);
                case "--writers" -> writers = Integer.parseInt(value);
                case "--write-rate" -> writeRate = Double.parseDouble(value);
                case "--batch" -> batch = Integer.parseInt(value);
                case "--readers" -> readers = Integer.parseInt(value);
                case "--read-rate" -> readRate = Double.parseDouble(value);
                case "--kafka-rate" -> kafkaRate = Double.parseDouble(value);
                case "--budget" -> budget = Long.parseLong(value);
                case "--out" -> out = Path.of(value);
                case "--liberty-start" -> libertyStart = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (retry < after) {
            throw new IllegalArgumentException("--retry-window must be at least --load-after");
        }
        return new SuiteSettings(faults, Duration.ofSeconds(warmUp), Duration.ofSeconds(outage), Duration.ofSeconds(before), Duration.ofSeconds(after),
                Duration.ofSeconds(retry), writers, writeRate, batch, readers, readRate, kafkaRate, batch,
                Duration.ofSeconds(budget), out, Duration.ofSeconds(libertyStart));
    }
}
