#!/usr/bin/env bash
# Runs one Jazzer fuzz target for a fixed time (docs/fuzzing.md).
#   benchmarks/fuzz.sh <target> [seconds]
#   target: bencode | metainfo | wire | mse | dht | tracker | lsd | utp     seconds: default 600
# Output goes to target/fuzz-<target>.log in the module; findings land in the module's
# src/test/resources/.../<Class>Inputs/<method>/ as crash-<sha1> (the regression corpus).
set -euo pipefail
target=${1:?usage: $0 bencode|metainfo|wire|mse|dht|tracker|lsd|utp [seconds]}
seconds=${2:-600}
case "$target" in
  bencode) class=BencodeFuzzTest ;;
  metainfo) class=MetainfoFuzzTest ;;
  wire) class=WireFuzzTest ;;
  mse) class=MseFuzzTest; bundle=wire ;;
  dht) class=KrpcCodecFuzzTest ;;
  tracker) class=TrackerFuzzTest ;;
  lsd) class=LsdCodecFuzzTest ;;
  utp) class=UtpCodecFuzzTest; bundle=transport-utp ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
module=bundles/piecework-${bundle:-$target}
mkdir -p "$module/target"
log=$module/target/fuzz-$target.log
# jazzer.internal.arg.* are passed to libFuzzer after the @FuzzTest's own -max_total_time, so this one wins.
JAZZER_FUZZ=1 mvn -B -o -pl "$module" -am test -Dtest="$class" -Dsurefire.failIfNoSpecifiedTests=false \
  -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds" >"$log" 2>&1 || status=$?
grep -E '^(#[0-9]+.*(DONE|pulse)|Done [0-9]+ runs)' "$log" | tail -2
grep -E 'Tests run:.*Fail|== Java Exception|FuzzTestFindingException|BUILD' "$log" | tail -4
exit "${status:-0}"
