#!/usr/bin/env bash
# The engine as shipped under load (bin/piecework loadtest), every strategy, in the scenarios
# of docs/strategies.md: one fast torrent (1 x 50), 100 x 10, and 1000 torrents (mostly idle
# once complete), plus 100 x 10 with peer churn. Tables to stdout, CSV files to OUT.
# Usage: benchmarks/loadtest.sh [OUT]   (default: a new temporary folder)
#
# 1000 x 20 is 20,000 connections. With the fake peers in the engine's JVM that is 40,000 file
# descriptors in one process; so the 1000-torrent scenario runs them in a child JVM (--fork), and
# the engine's process holds one descriptor per connection plus its own: jars, epoll and wake-up
# descriptors, listening sockets, the DHT's, up to 256 open payload files (file storage's
# max.open.files). The hard limit here is 20,000 (ulimit -Hn), which 20,000 connections plus
# those cannot fit: the script runs 1000 torrents with as many peers as fit and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=distribution/target/piecework/bin/piecework
[ -x "$bin" ] || mvn -B -q -pl distribution -am package -DskipTests
out="${1:-$(mktemp -d -t piecework-loadtest-results-XXXXXX)}"
mkdir -p "$out"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
limit="$(ulimit -n)"
# In the engine's process with --fork: one descriptor per connection, 256 open files, 512 spare
# for its own (about 330 were open at the idle point of a 1000 x 18 run, connections aside).
peers1000=$(( (limit - 256 - 512) / 1000 ))
[ "$peers1000" -gt 20 ] && peers1000=20
if [ "$peers1000" -lt 20 ]; then
  echo "# 1000 x 20 needs 20,000 descriptors for its connections alone in the engine's process, plus its own" \
    "(256 files, about 330 more): over ulimit -n $limit, so 1000 x $peers1000 runs instead"
fi
echo "# $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), ulimit -n $limit" | tee "$out/machine.txt"

run() {
  local name="$1"; shift
  echo "# bin/piecework loadtest $*"
  "$bin" loadtest "$@" --csv "$out/$name.csv"
  echo
}
run 1x50 --torrents 1 --peers 50 --size 1024
run 100x10 --torrents 100 --peers 10 --size 16 --max-connections 1000
# --idle 30: keep-alives and idle checks sweep each event loop's connections every 15 s; the
# window holds two sweeps per loop.
run "1000x$peers1000" --torrents 1000 --peers "$peers1000" --size 1 --fork \
  --max-connections $((1000 * peers1000)) --timeout 600 --idle 30 --histogram 12
run 100x10-churn --torrents 100 --peers 10 --size 16 --max-connections 1000 --churn 0.1
echo "# CSV files in $out"
