#!/usr/bin/env bash
# quick.sh CASE [javac options]: compile a corpus case's v1 and v2 (--release 17 -g unless given) and run lp4j build on them
set -e
root="$(cd "$(dirname "$0")/../.." && pwd)"
case "$1" in */*) c="$(cd "$1" && pwd)";; *) c="$root/agent/src/test/fidelity/$1";; esac; shift
opts=("$@"); [ ${#opts[@]} -eq 0 ] && opts=(--release 17 -g)
t=/tmp/lp4jq/$(basename "$c"); rm -rf "$t"; mkdir -p "$t"
for v in v1 v2; do
  ${JAVA_HOME:+$JAVA_HOME/bin/}javac "${opts[@]}" -d "$t/$v" $(find "$c/$v" "$c/both" -name '*.java')
  (cd "$c/$v" && find . -type f ! -name '*.java' -exec cp --parents {} "$t/$v" \;) 2>/dev/null || true
done
"$root/lp4j" build --old "$t/v1" --new "$t/v2" -o "$t/p.lp4j"; echo "rc=$?"
