#!/usr/bin/env bash
# pkginfo-mrjar.sh: two builds whose only differences lp4j build never reads, and which it calls "do not differ":
# 1. a package annotation (package-info.class is skipped), 2. a class under META-INF/versions/17 of a multi-release jar.
root="$(cd "$(dirname "$0")/../.." && pwd)"; t=/tmp/lp4j-review2-skip; rm -rf $t; mkdir -p $t; cd $t
for v in v1 v2; do
  mkdir -p pkg/$v/src/p; echo 'package p; public class A { public static String f() { return "x"; } }' > pkg/$v/src/p/A.java
  echo '@Deprecated(since="'$v'") package p;' > pkg/$v/src/p/package-info.java; javac -d pkg/$v/out $(find pkg/$v/src -name '*.java')
  mkdir -p mr/$v/base/p mr/$v/v17/p
  echo 'package p; public class A { public static String f() { return "base"; } }' > mr/$v/base/p/A.java
  echo 'package p; public class A { public static String f() { return "17-'$v'"; } }' > mr/$v/v17/p/A.java
  javac --release 11 -d mr/$v/b mr/$v/base/p/A.java; javac --release 17 -d mr/$v/c mr/$v/v17/p/A.java
  printf 'Multi-Release: true\n' > mr/$v/man; jar --create --file mr/$v.jar --manifest mr/$v/man -C mr/$v/b . --release 17 -C mr/$v/c .
done
echo 'public class M { public static void main(String[] a) throws Exception { System.out.println(Class.forName("p.A").getMethod("f").invoke(null) + " " + Class.forName("p.A").getPackage().getAnnotation(Deprecated.class)); } }' > M.java; javac -d . M.java
echo "--- package annotation"; java -cp pkg/v1/out:. M; java -cp pkg/v2/out:. M; "$root/lp4j" build --old pkg/v1/out --new pkg/v2/out -o p.lp4j; echo " rc=$?"
echo "--- multi-release jar"; java -cp mr/v1.jar:. M; java -cp mr/v2.jar:. M; "$root/lp4j" build --old mr/v1.jar --new mr/v2.jar -o q.lp4j; echo " rc=$?"
