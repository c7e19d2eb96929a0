#!/usr/bin/env bash
# Loopback throughput, one run: libtorrent->libtorrent, libtorrent->Piecework, Piecework->libtorrent
# with sendfile and with copied blocks, on a 1 GiB single-file torrent. Usage: benchmarks/throughput.sh [SIZE_MIB]   (default 1024)
# JAVA_OPTS passes JVM options, e.g. JAVA_OPTS=-Dpiecework.warmupMiB=512 for a warmed-up JIT first.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f benchmarks/target/benchmarks.jar ] || mvn -B -q -pl benchmarks -am package -DskipTests
exec java -Xmx1g ${JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp benchmarks/target/benchmarks.jar io.piecework.benchmarks.engine.ThroughputComparison \
  itests/src/test/resources/python/lt_node.py "${1:-1024}"
