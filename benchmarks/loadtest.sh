#!/usr/bin/env bash
# The engine as shipped under load (bin/piecework loadtest), every strategy, in the scenarios
# of docs/strategies.md: one fast torrent (1 x 50), 100 x 10, and 1000 torrents (mostly idle
# once complete), plus 100 x 10 with peer churn. Tables to stdout, CSV files to OUT.
# Usage: benchmarks/loadtest.sh [OUT]   (default: a new temporary folder)
#
# 1000 x 20 needs 20,000 connections: 40,000 file descriptors in one JVM even when the fake
# peers dial the engine (--inbound), 60,000 when the engine dials them. The script raises the
# soft limit as far as the hard limit allows and runs 1000 torrents with as many peers as fit.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=distribution/target/piecework/bin/piecework
[ -x "$bin" ] || mvn -B -q -pl distribution -am package -DskipTests
out="${1:-$(mktemp -d -t piecework-loadtest-results-XXXXXX)}"
mkdir -p "$out"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
limit="$(ulimit -n)"
# Two descriptors per connection, one file per torrent, 1,000 for the heap calibration and 512 spare.
peers1000=$(( (limit - 1000 - 1000 - 512) / 2 / 1000 ))
[ "$peers1000" -gt 20 ] && peers1000=20
echo "# $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), ulimit -n $limit" | tee "$out/machine.txt"

run() {
  local name="$1"; shift
  echo "# bin/piecework loadtest $*"
  "$bin" loadtest "$@" --csv "$out/$name.csv"
  echo
}
run 1x50 --torrents 1 --peers 50 --size 1024
run 100x10 --torrents 100 --peers 10 --size 16 --max-connections 1000
run "1000x$peers1000" --torrents 1000 --peers "$peers1000" --size 1 --inbound \
  --max-connections $((1000 * peers1000)) --timeout 600 --idle 10 --histogram 12
run 100x10-churn --torrents 100 --peers 10 --size 16 --max-connections 1000 --churn 0.1
echo "# CSV files in $out"
