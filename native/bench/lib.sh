# Helpers the JVM checkpoint benchmarks share (sourced by criu-bench.sh and jvm-checkpoint-bench.sh).

# mib SIZE: "256m" or "4g" (or a plain number of MiB) in MiB.
mib() { local v="${1,,}"; case "$v" in *g) echo $(( ${v%g} * 1024 )) ;; *m) echo "${v%m}" ;; *) echo "$v" ;; esac; }

# field NAME FILE: the value of NAME=... in lp4j-native's or lp4j's output.
field() { sed -n "s/^$1=//p" "$2" | head -n1; }
