#!/usr/bin/env bash
# CRIU checkpoint/restore of a JVM by heap size: dump time, frozen time, restore time, image
# size and seconds per GB, next to the ATC'16 figure (3 s of downtime for 32 GB of memcached).
# Each heap is -Xms = -Xmx with -XX:+AlwaysPreTouch (every heap page resident, so the image
# holds the whole heap) and about a third of it live key-value data. Per heap: RUNS cycles of
# checkpoint (the JVM is stopped) + restore of the same JVM, the checksum over the store
# compared after each restore; then RUNS checkpoints with --pre-dump 3 --leave-running (refused
# where the kernel has no soft-dirty tracking, and recorded as such).
#
# usage: native/bench/criu-bench.sh [--heaps 256m,1g,4g] [--runs 3] [--images DIR] [--out DIR] [--churn N]
#   --images: where CRIU writes (default /dev/shm: memory, like ATC'16's in-memory state);
#   --out: where the CSV, the table and the PNG go (default docs/results/native);
#   --churn: the JVM rewrites N random keys per second (1 KiB each) all along, so that memory
#            keeps changing between pre-dumps as under load (default 0: an idle server).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NATIVE="$(dirname "$HERE")"
ROOT="$(dirname "$NATIVE")"
LP4J="$NATIVE/build/lp4j-native"
HEAPS="256m,1g,4g" RUNS=3 IMAGES=/dev/shm OUT="$ROOT/docs/results/native" CHURN=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --heaps) HEAPS="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --images) IMAGES="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --churn) CHURN="$2"; shift 2 ;;
    *) echo "usage: $0 [--heaps 256m,1g,4g] [--runs N] [--images DIR] [--out DIR] [--churn N]" >&2; exit 2 ;;
  esac
done

[[ -x "$LP4J" ]] || { echo "criu-bench: build first: make -C native" >&2; exit 1; }
"$LP4J" criu-check >/dev/null || { echo "criu-bench: checkpointing is unavailable here (above)" >&2; exit 3; }
mkdir -p "$OUT"
WORK="$(mktemp -d /tmp/lp4j-criu-bench.XXXXXX)"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK" "$IMAGES"/lp4j-criu-bench.*' EXIT
javac -d "$WORK/classes" "$NATIVE/tests/fixture/KvFixture.java"

CSV="$OUT/criu-bench.csv"
echo "heap_mib,run,rss_mib,frozen_ms,dump_ms,restore_ms,criu_restore_ms,image_bytes,checksum_ok" > "$CSV"
echo "# criu-bench: heaps $HEAPS, $RUNS runs, images in $IMAGES, churn $CHURN keys/s, kernel $(uname -r), $(java -version 2>&1 | head -n1)"
PRE="$OUT/criu-bench-predump.txt"
: > "$PRE"
PRE_CSV="$OUT/criu-bench-predump.csv"
echo "heap_mib,run,pre_dumps,frozen_ms,dump_ms,total_ms,image_bytes,images_total_bytes,pre_dump_ms" > "$PRE_CSV"
PORT=18300

# shellcheck source=lib.sh
. "$HERE/lib.sh"
wait_answer() { for _ in $(seq 600); do curl -sf "http://127.0.0.1:$1/admin/checksum" >/dev/null && return 0; sleep 0.2; done; return 1; }
# checksum_of PORT: the store's checksum; retried, since a JVM in an emulated guest can drop a first request.
checksum_of() { curl -sf --retry 5 --retry-all-errors --retry-delay 1 "http://127.0.0.1:$1/admin/checksum"; }
gone() { for _ in $(seq 300); do [[ -e /proc/$1 ]] || return 0; sleep 0.1; done; return 1; }

for heap in ${HEAPS//,/ }; do
  h=$(mib "$heap"); PORT=$((PORT + 1))
  keys=$(( h * 1024 * 1024 / 3 / 1100 ))               # ~1/3 of the heap in 1 KiB values
  out="$("$LP4J" spawn --stdout "$WORK/jvm-$h.log" -- java -Xms${h}m -Xmx${h}m -XX:+AlwaysPreTouch \
        -XX:+PerfDisableSharedMem -cp "$WORK/classes" KvFixture --port $PORT --keys $keys --value-bytes 1024 \
        --churn-per-sec "$CHURN")"
  pid="${out#pid=}"; PIDS+=("$pid")
  wait_answer $PORT || { echo "criu-bench: the ${h} MiB JVM did not start:"; cat "$WORK/jvm-$h.log"; exit 1; }
  sum="$(checksum_of $PORT)"
  rss=$(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 ))
  echo "heap ${h} MiB: pid $pid, RSS ${rss} MiB, $keys keys"
  for run in $(seq "$RUNS"); do
    dir="$(mktemp -d "$IMAGES/lp4j-criu-bench.XXXXXX")"
    "$LP4J" checkpoint --pid "$pid" --dir "$dir" > "$WORK/ck" 2> "$WORK/ck.err" || { cat "$WORK/ck.err"; exit 1; }
    gone "$pid"
    "$LP4J" restore --dir "$dir" > "$WORK/rs" 2> "$WORK/rs.err" || { cat "$WORK/rs.err"; exit 1; }
    pid="$(field pid "$WORK/rs")"; PIDS+=("$pid")
    now="$(checksum_of $PORT || true)"
    ok=no
    if [[ "$CHURN" -eq 0 ]]; then
      [[ "$now" == "$sum" ]] && ok=yes
    else
      # The store keeps changing under --churn, so only its size can be compared; the itest
      # proves the contents on an idle server.
      [[ -n "$now" && "${now##* }" == "${sum##* }" ]] && ok=keys
    fi
    echo "$h,$run,$rss,$(field frozen_ms "$WORK/ck"),$(field dump_ms "$WORK/ck"),$(field restore_ms "$WORK/rs"),$(field criu_restore_ms "$WORK/rs"),$(field image_bytes "$WORK/ck"),$ok" | tee -a "$CSV"
    rm -rf "$dir"
  done
  for run in $(seq "$RUNS"); do
    dir="$(mktemp -d "$IMAGES/lp4j-criu-bench.XXXXXX")"
    rc=0
    "$LP4J" checkpoint --pid "$pid" --dir "$dir" --pre-dump 3 --leave-running > "$WORK/pd" 2> "$WORK/pd.err" || rc=$?
    rm -rf "$dir"
    if [[ $rc -ne 0 ]]; then
      echo "heap ${h} MiB, 3 pre-dumps: refused (exit $rc): $(head -n1 "$WORK/pd.err")" | tee -a "$PRE"
      break
    fi
    pre_ms="$(sed -n 's/^pre_dump\.[0-9]*\.ms=//p' "$WORK/pd" | paste -sd/)"
    echo "$h,$run,3,$(field frozen_ms "$WORK/pd"),$(field dump_ms "$WORK/pd"),$(field total_ms "$WORK/pd"),$(field image_bytes "$WORK/pd"),$(field images_total_bytes "$WORK/pd"),$pre_ms" | tee -a "$PRE_CSV"
  done
  kill -9 "$pid"; gone "$pid" || true
done

# Medians per heap, with seconds per GB of image next to ATC'16's 3 s / 32 GB.
TABLE="$OUT/criu-bench.md"
{
  echo "| heap | RSS | image | dump (ms) | frozen, 0 pre-dumps (ms) | frozen, 3 pre-dumps (ms) | restore (ms) | dump s/GB | dump+restore s/GB | ATC'16 s/GB | state intact |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  awk -F, 'FNR == 1 { file++; next }
    file == 1 { pk = $1; pn[pk]++; pf[pk, pn[pk]] = $4; next }
    { k = $1; n[k]++; fr[k, n[k]] = $4; du[k, n[k]] = $5; re[k, n[k]] = $6; im[k] = $8; rss[k] = $3;
      if ($9 != "yes" && $9 != "keys") bad[k] = 1; if ($9 == "keys") churn[k] = 1; order[k] = FNR }
    function med(a, k, c,   i, j, t, v) { for (i = 1; i <= c; i++) v[i] = a[k, i];
      for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return v[int((c + 1) / 2)] }
    END { for (k in n) keys[order[k]] = k
      for (o = 0; o <= 1000; o++) if (o in keys) { k = keys[o]; c = n[k]; gb = im[k] / 1e9
        d = med(du, k, c); f = med(fr, k, c); r = med(re, k, c)
        p = (k in pn) ? sprintf("%.0f", med(pf, k, pn[k])) : "refused: no soft-dirty tracking"
        printf "| %d MiB | %d MiB | %.0f MB | %.0f | %.0f | %s | %.0f | %.2f | %.2f | %.3f | %s |\n", k, rss[k], im[k] / 1e6, d, f, p, r,
               d / 1000 / gb, (d + r) / 1000 / gb, 3 / 32, (k in bad) ? "NO" : (k in churn) ? "answers, same key count (" c " of " c "; store churning)" : "yes (" c " of " c ")" } }' "$PRE_CSV" "$CSV"
} > "$TABLE"
cat "$TABLE"; cat "$PRE"

if command -v gnuplot >/dev/null; then
  gnuplot -e "csv='$CSV'; png='$OUT/criu-bench.png'" "$HERE/criu-bench.gnuplot" && echo "plot: $OUT/criu-bench.png"
else
  echo "criu-bench: gnuplot not found (apt-get install gnuplot-nox); no PNG written"
fi
