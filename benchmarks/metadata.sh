#!/usr/bin/env bash
# Time to metadata for a magnet link on loopback (add -> verified info dictionary), Piecework
# next to libtorrent in the same run, both fetching from one libtorrent seeder named by x.pe.
# Usage: benchmarks/metadata.sh [ROUNDS]   (default 11: the first is reported apart as cold)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f benchmarks/target/benchmarks.jar ] || mvn -B -q -pl benchmarks -am package -DskipTests
exec java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp benchmarks/target/benchmarks.jar io.piecework.benchmarks.engine.MetadataTimeComparison \
  benchmarks/src/main/python/lt_magnet.py "${1:-11}"
