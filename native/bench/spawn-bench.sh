#!/usr/bin/env bash
# Process creation against the parent's size ("A fork() in the road", HotOS'19, Figure 1):
# runs lp4j-native spawn-bench, keeps its table and CSV, and plots the CSV.
# usage: native/bench/spawn-bench.sh [--sizes 0,64M,256M,1G,4G] [--runs 100] [--out DIR]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$(dirname "$HERE")")"
SIZES="0,64M,256M,1G,4G" RUNS=100 OUT="$ROOT/docs/results/native"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "usage: $0 [--sizes LIST] [--runs N] [--out DIR]" >&2; exit 2 ;;
  esac
done
LP4J="$(dirname "$HERE")/build/lp4j-native"
[[ -x "$LP4J" ]] || { echo "spawn-bench: build first: make -C native" >&2; exit 1; }
mkdir -p "$OUT"
"$LP4J" spawn-bench --sizes "$SIZES" --runs "$RUNS" --csv "$OUT/spawn-bench.csv" | tee "$OUT/spawn-bench.txt"
if command -v gnuplot >/dev/null; then
  gnuplot -e "csv='$OUT/spawn-bench.csv'; png='$OUT/spawn-bench.png'" "$HERE/spawn-bench.gnuplot" \
    && echo "plot: $OUT/spawn-bench.png"
else
  echo "spawn-bench: gnuplot not found (apt-get install gnuplot-nox); no PNG written"
fi
