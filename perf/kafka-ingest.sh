#!/usr/bin/env bash
# Kafka ingest benchmark: sustained throughput (signals committed to Neo4j) and produce -> visible
# latency, beside the same latency over HTTP. Needs the dev stack with Kafka:
#   mvn -Pdev -Dkafka=true            # terminal 1
#   bash perf/kafka-ingest.sh [records] [signalsPerRecord] [tenants] [latencyProbes]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o dependency:build-classpath -Dmdep.includeScope=compile \
    -Dmdep.includeArtifactIds=kafka-clients,slf4j-api,lz4-java,snappy-java,zstd-jni \
    -Dmdep.outputFile=target/perf-kafka-classpath.txt >/dev/null
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$(cat target/perf-kafka-classpath.txt)" \
    perf/KafkaIngestProbe.java "$@"
