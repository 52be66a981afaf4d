#!/usr/bin/env bash
# ProcessBuilder.start() latency by launch mechanism in JVMs with pre-touched heaps (the Java
# side of spawn-bench): runs io.livepatch4j.bench.spawn.LaunchBenchmark from benchmarks/.
# usage: native/bench/launch-bench.sh [--heaps 64m,1g,4g] [--runs 100] [--out DIR]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$(dirname "$HERE")")"
HEAPS="64m,1g,4g" RUNS=100 OUT="$ROOT/docs/results/native"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --heaps) HEAPS="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "usage: $0 [--heaps LIST] [--runs N] [--out DIR]" >&2; exit 2 ;;
  esac
done
CLASSES="$ROOT/benchmarks/target/classes"
[[ -f "$CLASSES/io/livepatch4j/bench/spawn/LaunchBenchmark.class" ]] \
  || { echo "launch-bench: build first: mvn -pl benchmarks -am package -DskipTests" >&2; exit 1; }
mkdir -p "$OUT"
java -cp "$CLASSES" io.livepatch4j.bench.spawn.LaunchBenchmark --heaps "$HEAPS" --runs "$RUNS" \
  --csv "$OUT/launch-bench.csv" | tee "$OUT/launch-bench.txt"
