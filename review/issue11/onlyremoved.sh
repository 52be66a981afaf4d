#!/usr/bin/env bash
# The builds differ only in a removed class; lp4j build says they "do not differ" (docs: it never does).
# Also: --only leaves out a changed class and --strict still writes the patch; and removing a
# compile-time constant is refused (and stdout/stderr interleave into "refused   p.Arefused: ...").
root="$(cd "$(dirname "$0")/../.." && pwd)"; t=/tmp/lp4j-onlyremoved; rm -rf $t; mkdir -p $t/{v1,v2}/p; cd $t
echo 'package p; public class A { public static String a() { return "a"; } }' > v1/p/A.java; cp v1/p/A.java v2/p/
echo 'package p; public class Legacy { }' > v1/p/Legacy.java
for v in v1 v2; do javac -d $v/c $v/p/*.java; done
echo "=== only a class removed"; "$root/lp4j" build --old v1/c --new v2/c -o x.lp4j; echo "rc=$?"
rm -rf v1 v2; mkdir -p v1/p v2/p
echo 'package p; public class A { public static String a() { return "a1"; } }' > v1/p/A.java
echo 'package p; public class B { public static String b() { return "b1" + A.a(); } }' > v1/p/B.java
sed 's/a1/a2/' v1/p/A.java > v2/p/A.java; sed 's/b1/b2/' v1/p/B.java > v2/p/B.java
for v in v1 v2; do javac -d $v/c $v/p/*.java; done
echo "=== --only p.B --strict, A changed too"; "$root/lp4j" build --old v1/c --new v2/c --only p.B --strict -o x.lp4j; echo "rc=$?"
"$root/lp4j" inspect x.lp4j
rm -rf v1 v2; mkdir -p v1/p v2/p
echo 'package p; public class A { public static final int LIMIT = 5; public static String a() { return "a1" + LIMIT; } }' > v1/p/A.java
echo 'package p; public class A { public static String a() { return "a2"; } }' > v2/p/A.java
for v in v1 v2; do javac -d $v/c $v/p/*.java; done
echo "=== a compile-time constant removed"; "$root/lp4j" build --old v1/c --new v2/c -o x.lp4j 2>&1; echo "rc=$?"
