#!/usr/bin/env bash
# lp4j storm: three lp4j processes apply / rollback concurrently against one prepared JVM.
# Usage: review/storm/run.sh [ROUNDS]   (from /work/wt-review; prints the target's log and the final status)
set -u
cd "$(dirname "$0")/../.."
rounds=${1:-6}
agent=agent/target/livepatch4j-agent-0.1.0.jar
out=$(mktemp -d)
java -javaagent:$agent=packages=stormapp,unitOfWork=stormapp.Target#unit -cp review/storm/v1/classes stormapp.Target 90 > $out/target.log 2>&1 &
pid=$!
sleep 3
loop() {
    for i in $(seq "$rounds"); do
        case $(( (i + $1) % 3 )) in
            0) ./lp4j apply --pid $pid review/storm/rv2.lp4j ;;
            1) ./lp4j rollback --pid $pid --to 0 ;;
            2) ./lp4j apply --pid $pid --strategy global review/storm/rv2.lp4j ;;
        esac
        echo "rc=$?"
    done > $out/loop$1.log 2>&1
}
loop 0 & loop 1 & loop 2 &
wait %2 %3 %4
sleep 3
./lp4j status --pid $pid --json > $out/status.json 2>&1
tail -3 $out/target.log
echo "--- exit codes:"; cat $out/loop*.log | grep -c "rc=0"; cat $out/loop*.log | grep "rc=" | sort | uniq -c
echo "--- non-refusal errors:"; cat $out/loop*.log | grep -iv "refused\|rc=\|generation\|applied\|rolled\|^$\|transition" | head -20
grep -E '"currentGeneration"|"version"|"state": "(running|transition)"' $out/status.json | head
kill $pid
echo "logs in $out"
# Build first:
#   for v in v1 v2; do javac --release 17 -d review/storm/$v/classes review/storm/$v/stormapp/*.java; done
#   ./lp4j build --old review/storm/v1/classes --new review/storm/v2/classes -o review/storm/rv2.lp4j
