#!/usr/bin/env bash
# leaveout.sh: a class that runs (Opt.greet() is called every 300 ms) but one of whose method
# descriptors names a class absent at run time (an optional dependency, absent.Lib) is "left out"
# of a patch whose new code needs that class, so the fix to greet() silently does not apply.
# docs: "A class whose original code links but whose new code needs an absent class must be refused".
set -u
root="$(cd "$(dirname "$0")/../.." && pwd)"
t=$(mktemp -d /tmp/r13-leaveout.XXXX)
mkdir -p "$t/v1/demo" "$t/v2/demo" "$t/lib/absent"
cat > "$t/lib/absent/Base.java" <<'J'
package absent;
public class Base { }
J
cat > "$t/lib/absent/Lib.java" <<'J'
package absent;
public class Lib extends Base { }
J
for v in v1 v2; do
  if [ $v = v1 ]; then g='"v1"'; u='"unused"'; else g='"v2"'; u='take(l)'; fi
  cat > "$t/$v/demo/Opt.java" <<J
package demo;
public class Opt {
    public static String greet() { return $g; }
    /** Only called when the optional library is present. */
    public static Object useOptional(absent.Lib l) { return $u; }
    static Object take(absent.Base b) { return b; }
}
J
  cat > "$t/$v/demo/Other.java" <<J
package demo;
public class Other {
    public static String v() { return $g; }
}
J
  cat > "$t/$v/demo/Main.java" <<'J'
package demo;
public class Main {
    public static void main(String[] a) throws Exception {
        while (true) {
            System.out.println("greet=" + Opt.greet() + " other=" + Other.v());
            Thread.sleep(300);
        }
    }
}
J
done
javac -d "$t/lib/out" "$t"/lib/absent/*.java
for v in v1 v2; do javac -cp "$t/lib/out" -d "$t/$v/out" "$t/$v"/demo/*.java; cp -r "$t/lib/out/absent" "$t/$v/out/"; done
mkdir -p "$t/run"; cp -r "$t/v1/out/demo" "$t/run/"   # the JVM runs without absent.*
agent=$(ls "$root"/agent/target/livepatch4j-agent-*.jar | grep -v bootstrap | grep -v original | head -1)
java -javaagent:"$agent"=packages=demo -cp "$t/run" demo.Main > "$t/app.out" 2> "$t/app.err" &
pid=$!
sleep 3
"$root/lp4j" build --old "$t/v1/out" --new "$t/v2/out" -o "$t/p.lp4j"; echo "build rc=$?"
"$root/lp4j" apply --pid $pid "$t/p.lp4j" --wait; echo "apply rc=$?"
sleep 2
"$root/lp4j" status --pid $pid | head -30
echo "--- app output (last lines):"; tail -3 "$t/app.out"
echo "--- agent log:"; grep -i "leave\|left out\|refused" "$t/app.err"
kill $pid
echo "dir: $t"
