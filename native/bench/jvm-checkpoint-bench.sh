#!/usr/bin/env bash
# The JVM-aware checkpoint (issue 16) against the plain one, side by side in one run: per heap, one
# JVM with the agent, a quarter of its heap live (1 KiB values) while it allocates garbage (64 KiB
# buffers, --garbage-mib-per-sec; the store itself stays as it is, so its checksum must survive); then, in turn on that same JVM (each restore's JVM serving on for --settle seconds before
# the next checkpoint), the paths:
#   plain        lp4j checkpoint --plain (the agent is not asked), full restore
#   shrink       lp4j checkpoint (Resources, heap collected and given back, socket parked), full restore
#   shrink+lazy  the same checkpoint, lp4j-native restore --lazy-pages
#   plain+lazy   lp4j checkpoint --plain, lazy restore
# Each: image bytes, frozen and dump time, the agent's preparation (its GC) before the freeze,
# restore time, and the time from starting the restore to the first answered request; the checksum
# over every key is compared after each restore (it reads every value, so a lazy restore's pages
# all come in).
#
# usage: native/bench/jvm-checkpoint-bench.sh [--heaps 256m,1g,4g] [--runs 2] [--gc G1] [--jvm-flags "..."]
#        [--garbage-mib-per-sec 100] [--settle 8] [--images /dev/shm] [--out DIR] [--tag NAME]
# Needs root, CRIU (native/install-criu.sh), the Maven build (agent jar, lp4j.jar) and make -C native.
# Writes OUT/jvm-checkpoint[-TAG].csv and prints a table of medians.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NATIVE="$(dirname "$HERE")"
ROOT="$(dirname "$NATIVE")"
LP4J_NATIVE="$NATIVE/build/lp4j-native"
LP4J="$ROOT/lp4j"
AGENT="$ROOT/agent/target/livepatch4j-agent-0.1.0.jar"
HEAPS="256m,1g,4g" RUNS=2 GC=G1 JVM_FLAGS="" GARBAGE=100 SETTLE=8 IMAGES=/dev/shm OUT="$ROOT/docs/results/native" TAG=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --heaps) HEAPS="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --gc) GC="$2"; shift 2 ;;
    --jvm-flags) JVM_FLAGS="$2"; shift 2 ;;
    --garbage-mib-per-sec) GARBAGE="$2"; shift 2 ;;
    --settle) SETTLE="$2"; shift 2 ;;
    --images) IMAGES="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --tag) TAG="-$2"; shift 2 ;;
    *) sed -n '2,20p' "$0" >&2; exit 2 ;;
  esac
done
case "$GC" in
  G1) GC_FLAG=-XX:+UseG1GC ;; Parallel) GC_FLAG=-XX:+UseParallelGC ;; ZGC) GC_FLAG=-XX:+UseZGC ;;
  Serial) GC_FLAG=-XX:+UseSerialGC ;; *) echo "--gc G1|Parallel|ZGC|Serial" >&2; exit 2 ;;
esac

[[ -x "$LP4J_NATIVE" ]] || { echo "jvm-checkpoint-bench: build first: make -C native" >&2; exit 1; }
[[ -f "$AGENT" && -f "$ROOT/patch-compiler/target/lp4j.jar" ]] || { echo "jvm-checkpoint-bench: build first: mvn -B -ntp install -DskipTests" >&2; exit 1; }
"$LP4J_NATIVE" criu-check > /dev/null || { echo "jvm-checkpoint-bench: checkpointing is unavailable here (above)" >&2; exit 3; }
LAZY=yes
"$LP4J_NATIVE" criu-check 2>/dev/null | grep -q '^lazy_pages=yes' || LAZY=no
mkdir -p "$OUT"
WORK="$(mktemp -d /tmp/lp4j-jvm-ck-bench.XXXXXX)"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK" "$IMAGES"/lp4j-jvm-ck-bench.*' EXIT
javac -d "$WORK/classes" "$NATIVE/tests/fixture/KvFixture.java"

CSV="$OUT/jvm-checkpoint$TAG.csv"
echo "gc,heap_mib,run,path,live_mib,rss_mib,image_bytes,prepare_ms,shrink_gc_ms,frozen_ms,dump_ms,restore_ms,first_answer_ms,checksum_ok" > "$CSV"
echo "# jvm-checkpoint-bench: gc $GC, heaps $HEAPS, $RUNS runs, garbage $GARBAGE MiB/s, settle $SETTLE s, images in $IMAGES, lazy restore $LAZY, kernel $(uname -r), $(java -version 2>&1 | head -n1)"

# shellcheck source=lib.sh
. "$HERE/lib.sh"
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
gone() { for _ in $(seq 300); do [[ -e /proc/$1 ]] || return 0; sleep 0.05; done; return 1; }
PORT=18400

# one PATH RUN: checkpoint the JVM on $PORT, restore it, append a CSV row.
one() {
  local path="$1" run="$2" dir="$IMAGES/lp4j-jvm-ck-bench.$$.$1"
  local ck=(--pid "$PID" --dir "$dir") rs=(--dir "$dir")
  [[ $path == plain* ]] && ck+=(--plain)
  [[ $path == *lazy ]] && rs+=(--lazy-pages)
  local rss; rss=$(( $(awk '/^VmRSS/{print $2}' /proc/$PID/status) / 1024 ))
  "$LP4J" checkpoint "${ck[@]}" > "$WORK/ck.out" 2> "$WORK/ck.err" || { cat "$WORK/ck.err" >&2; return 1; }
  gone "$PID" || { echo "the checkpointed JVM did not stop" >&2; return 1; }
  local t0 t1; t0=$(now_ms)
  "$LP4J_NATIVE" restore "${rs[@]}" > "$WORK/rs.out" 2> "$WORK/rs.err" || { cat "$WORK/rs.err" >&2; return 1; }
  until curl -sf -m 5 "http://127.0.0.1:$PORT/kv/key-1" > /dev/null; do sleep 0.002; done
  t1=$(now_ms)
  local sum ok=no; sum="$(curl -sf "http://127.0.0.1:$PORT/admin/checksum")"; [[ "$sum" == "$SUM" ]] && ok=yes
  local live; live="$(field heap_used_after_gc_bytes "$WORK/ck.out")"
  [[ -n $live ]] && LIVE=$(( live / 1048576 ))
  echo "$GC,$H,$run,$path,${LIVE:-},$rss,$(field image_bytes "$WORK/ck.out"),$(field prepare_ms "$WORK/ck.out"),$(field shrink_gc_ms "$WORK/ck.out"),$(field frozen_ms "$WORK/ck.out"),$(field dump_ms "$WORK/ck.out"),$(field restore_ms "$WORK/rs.out"),$((t1 - t0)),$ok" >> "$CSV"
  tail -n1 "$CSV"
  rm -rf "$dir"
  local daemon; daemon="$(field lazy_daemon_pid "$WORK/rs.out")"
  [[ -n $daemon ]] && gone "$daemon"
  sleep "$SETTLE"
}

PATHS=(plain shrink)
[[ $LAZY == yes ]] && PATHS+=(shrink+lazy plain+lazy)
for heap in ${HEAPS//,/ }; do
  H=$(mib "$heap"); PORT=$((PORT + 1)); LIVE=""
  keys=$(( H * 1024 / 4 * 1024 / 1200 ))                  # a quarter of the heap in 1 KiB values
  # shellcheck disable=SC2086
  out="$("$LP4J_NATIVE" spawn --stdout "$WORK/jvm-$H.log" -- java -Xms16m -Xmx${H}m $GC_FLAG $JVM_FLAGS \
    -XX:+PerfDisableSharedMem -javaagent:"$AGENT" -cp "$WORK/classes" KvFixture --port $PORT --keys $keys \
    --value-bytes 1024 --garbage-mib-per-sec "$GARBAGE")"
  PID="${out#pid=}"; PIDS+=("$PID")
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/kv/key-1" > /dev/null && break; sleep 0.2; done
  sleep "$SETTLE"
  SUM="$(curl -sf "http://127.0.0.1:$PORT/admin/checksum")"
  for run in $(seq "$RUNS"); do
    for path in "${PATHS[@]}"; do one "$path" "$run"; done
  done
  kill -9 "$PID"; gone "$PID" || true
done

echo
echo "medians ($CSV):"
python3 - "$CSV" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
keys = []
for r in rows:
    k = (r["gc"], int(r["heap_mib"]), r["path"])
    if k not in keys:
        keys.append(k)
def med(rs, f):
    v = [float(r[f]) for r in rs if r[f] not in ("", None)]
    return statistics.median(v) if v else float("nan")
print("| gc | heap | path | live (MiB) | RSS (MiB) | image (MB) | prepare (ms) | of it GC (ms) | frozen (ms) | dump (ms) | restore (ms) | first answer (ms) | checksum |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for k in keys:
    rs = [r for r in rows if (r["gc"], int(r["heap_mib"]), r["path"]) == k]
    live = med(rs, "live_mib")
    print(f"| {k[0]} | {k[1]} MiB | {k[2]} | {live:.0f} | {med(rs,'rss_mib'):.0f} | {med(rs,'image_bytes')/1e6:.0f} | "
          f"{med(rs,'prepare_ms'):.0f} | {med(rs,'shrink_gc_ms'):.0f} | {med(rs,'frozen_ms'):.0f} | {med(rs,'dump_ms'):.0f} | "
          f"{med(rs,'restore_ms'):.0f} | {med(rs,'first_answer_ms'):.0f} | "
          f"{'all same' if all(r['checksum_ok']=='yes' for r in rs) else 'DIFFERENT'} |")
EOF
