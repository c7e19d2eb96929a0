#!/usr/bin/env bash
# How well a download limit holds (issue 12: 10 MiB/s within +-15% over 20 s on loopback):
# bin/piecework get --limit-down from a libtorrent 2.0.8 seeder, the rate per 5 s window and over
# 20 s, N rounds after one unlimited baseline round. benchmarks/src/main/python/ratelimit.py says
# how each figure is taken.
# Usage: benchmarks/ratelimit.sh [LIMIT_KIB [SECONDS]]   (default 10240 KiB/s, 20 s); ROUNDS=N (default 3),
# PIECEWORK=path/bin/piecework runs another build.
set -euo pipefail
cd "$(dirname "$0")/.."
piecework="$(realpath -m "${PIECEWORK:-distribution/target/piecework/bin/piecework}")"
[ -x "$piecework" ] || mvn -B -q -pl distribution -am package -DskipTests
exec /usr/bin/python3 benchmarks/src/main/python/ratelimit.py "$piecework" itests/src/test/resources/python/lt_node.py \
  --limit-kib "${1:-10240}" --seconds "${2:-20}" --rounds "${ROUNDS:-3}"
