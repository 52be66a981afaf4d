#!/usr/bin/env bash
# A serializable lambda's body changes; a lambda made by the patched code cannot be serialized+deserialized.
set -e
here="$(cd "$(dirname "$0")" && pwd)"; root="$here/../../.."; c=$root/agent/src/test/fidelity/lambdaserialbody
t=/tmp/lp4j-lser; rm -rf $t; mkdir -p $t
for v in v1 v2; do javac --release 17 -g -d $t/$v $c/$v/fid/lambdaserialbody/*.java; done
javac --release 17 -cp $t/v1 -d $t/main $here/Main.java
"$root/lp4j" build --old $t/v1 --new $t/v2 -o $t/p.lp4j | tail -2
agent=$(ls $root/agent/target/livepatch4j-agent-*[0-9].jar)
java ${MODE:--javaagent:$agent=packages=fid} -cp $t/v1:$t/main fid.lambdaserialbody.Main $t/p.lp4j 2>&1 | grep -v '^INFO\|^[A-Z][a-z][a-z] [0-9]\|^OpenJDK'
