#!/usr/bin/env bash
# Stacking and re-applying patches that carry a switch-map copy and renamed anonymous classes.
# run.sh  (after mvn -o -q package -DskipTests)
set -e
here="$(cd "$(dirname "$0")" && pwd)"; root="$here/../../.."
t=/tmp/lp4j-stack; rm -rf $t; mkdir -p $t
for v in v1 v2 v3; do javac --release 17 -g -d $t/$v $here/$v/st/*.java; done
javac --release 17 -cp $t/v1 -d $t/main $here/main/st/Main.java
lp4j() { "$root/lp4j" "$@"; }
lp4j build --old $t/v1 --new $t/v2 -o $t/p12.lp4j | tail -3
lp4j build --old $t/v2 --new $t/v3 -o $t/p23.lp4j | tail -3
lp4j build --old $t/v1 --new $t/v3 -o $t/p13.lp4j | tail -3
agent=$(ls $root/agent/target/livepatch4j-agent-*[0-9].jar)
run() { echo "--- $*"; java -javaagent:$agent=packages=st -cp $t/v1:$t/main st.Main "$@" 2>&1 | grep -v '^INFO\|^[A-Z][a-z][a-z] [0-9]' ; }
run $t/p12.lp4j rollback $t/p12.lp4j
run $t/p12.lp4j $t/p23.lp4j
run $t/p12.lp4j $t/p13.lp4j
run $t/p12.lp4j rollback $t/p13.lp4j
