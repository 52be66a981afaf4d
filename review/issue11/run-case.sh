#!/usr/bin/env bash
# run-case.sh CASE [javac options]: a corpus case compiled with other javac options (default --release 17 -g),
# built with the CLI, then run fresh (v2) and patched (v1 + -javaagent packages=fid, patch between setup and observe).
# JAVA_HOME picks the JDK for javac, lp4j and both JVMs.
root="$(cd "$(dirname "$0")/../.." && pwd)"; name=$(basename "$1")
"$root/review/issue11/quick.sh" "$@" | tail -6
t=/tmp/lp4jq/$name; J=${JAVA_HOME:+$JAVA_HOME/bin/}
${J}javac -d $t/runner "$root/review/issue11/runner/Runner.java"
agent=$(ls $root/agent/target/livepatch4j-agent-*[0-9].jar)
${J}java -cp $t/v2:$t/runner Runner fid.$name.Probe > $t/fresh.out 2>&1
[ -f $t/p.lp4j ] && ${J}java $JOPTS -javaagent:$agent=packages=fid -cp $t/v1:$t/runner Runner fid.$name.Probe $t/p.lp4j 2>&1 | grep -v '^INFO\|^[A-Z][a-z][a-z] [0-9]\|^OpenJDK' > $t/patched.out
echo "--- fresh v2"; cat $t/fresh.out; echo "--- patched v1"; cat $t/patched.out 2>/dev/null
