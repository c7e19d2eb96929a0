#!/usr/bin/env bash
# Loopback throughput of the distribution as shipped (bin/piecework get / seed, default
# configuration) against libtorrent 2.0.8, one run: for each piece size, lt -> lt, lt -> get and
# seed -> lt, a warm-up round then N measured rounds (median, min..max), MB/s from the first payload
# byte to completion, CPU per GiB from /proc with Piecework's start-up apart, and the torrent lock
# figures get prints. benchmarks/src/main/python/throughput.py says how each figure is taken.
# Usage: benchmarks/throughput.sh [SIZE_MIB [PIECE_KIB...]]   (default 1024 MiB, 256 and 1024 KiB pieces)
# ROUNDS=N (default 3), SETTLE_SECONDS=S (pause between transfers, default 2), PIECEWORK_JAVA_OPTS
# passes JVM options to get and seed (e.g. a flight recording), PIECEWORK=path/bin/piecework runs
# another build, BASELINE=path/bin/piecework adds that build's get and seed to every round
# (before/after under the same load; it runs after the build under test in odd rounds, before it in even).
# The hand-wired engine of earlier runs: java -cp benchmarks/target/benchmarks.jar
# io.piecework.benchmarks.engine.ThroughputComparison itests/src/test/resources/python/lt_node.py SIZE_MIB
set -euo pipefail
cd "$(dirname "$0")/.."
piecework="$(realpath -m "${PIECEWORK:-distribution/target/piecework/bin/piecework}")"
[ -x "$piecework" ] || mvn -B -q -pl distribution -am package -DskipTests
size="${1:-1024}"
shift || true
baseline=()
[ -z "${BASELINE:-}" ] || baseline=(--baseline "$(realpath "$BASELINE")")
exec /usr/bin/python3 benchmarks/src/main/python/throughput.py --rounds "${ROUNDS:-3}" "${baseline[@]}" "$piecework" \
  itests/src/test/resources/python/lt_node.py "$size" "$@"
