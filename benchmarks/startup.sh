#!/usr/bin/env bash
# Start time of bin/piecework on this machine: median wall and CPU time of ROUNDS runs of
#   bin/piecework info SMALL.torrent
# and the median time from starting
#   bin/piecework get SMALL.torrent --peer 127.0.0.1:PORT --port 0
# to its first block request, received by a scripted seeder on loopback
# (src/main/python/first_request.py), then names the transport a get ran on (its log at
# info level, one more untimed run). SMALL is a 4 MiB file made here.
# Usage: benchmarks/startup.sh [ROUNDS] [PIECEWORK]   (default 10, the built distribution)
# Quote the load average with the numbers: on a shared machine wall time follows it.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-10}"
piecework="${2:-$PWD/distribution/target/piecework/bin/piecework}"
[ -x "$piecework" ] || mvn -B -q -pl distribution -am package -DskipTests
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
head -c 4194304 /dev/urandom > "$work/small.bin"
"$piecework" create "$work/small.bin" -o "$work/small.torrent" >/dev/null 2>&1

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
: > "$work/times"
for _ in $(seq "$rounds"); do
  /usr/bin/time -f "%e %U %S" -a -o "$work/times" "$piecework" info "$work/small.torrent" >/dev/null
done
/usr/bin/python3 - "$work/times" "$rounds" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l[:1].isdigit()]
wall = [float(r[0]) for r in rows]
cpu = [float(r[1]) + float(r[2]) for r in rows]
print("info: median of %s: %.2f s wall, %.2f s CPU (wall %.2f-%.2f s)"
      % (sys.argv[2], statistics.median(wall), statistics.median(cpu), min(wall), max(wall)))
PY
/usr/bin/python3 benchmarks/src/main/python/first_request.py "$piecework" "$work/small.torrent" "$rounds" | tail -1 \
  | sed 's/^/get to first request: /'
# One more get, untimed, logging at info: which transport the timed runs used (epoll or NIO).
PIECEWORK_LOG=info FIRST_REQUEST_STDERR="$work/get.log" \
  /usr/bin/python3 benchmarks/src/main/python/first_request.py "$piecework" "$work/small.torrent" 1 >/dev/null
grep -o 'transport: [a-z]* sockets.*' "$work/get.log" | head -1 | sed 's/^/get: /'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
