#!/usr/bin/env bash
# blocking-preapply.sh: a patch whose PRE_APPLY callback blocks (here: sleeps an hour) holds the
# agent's lifecycle lock: what can the operator still do? (status, rollback, another apply)
set -u
root="$(cd "$(dirname "$0")/../.." && pwd)"
q=$(ls "$root"/quiescence/target/livepatch4j-quiescence-*.jar | head -1)
t=$(mktemp -d /tmp/r13-block.XXXX)
mkdir -p "$t/v1/demo" "$t/v2/demo"
for v in v1 v2; do
  cat > "$t/$v/demo/Work.java" <<J
package demo;
public class Work { public static String v() { return "$v"; } }
J
  cat > "$t/$v/demo/Main.java" <<'J'
package demo;
public class Main {
    public static void main(String[] a) throws Exception {
        while (true) { System.out.println("work=" + io.livepatch4j.quiescence.Quiescence.call(Work::v)); Thread.sleep(500); }
    }
}
J
done
cat > "$t/v2/demo/BlockHooks.java" <<'J'
package demo;
import io.livepatch4j.quiescence.PatchCallback;
public class BlockHooks {
    @PatchCallback(PatchCallback.Phase.PRE_APPLY)
    static void pre() throws Exception { System.out.println("pre-apply: blocking"); Thread.sleep(3_600_000); }
}
J
for v in v1 v2; do javac -cp "$q" -d "$t/$v/out" "$t/$v"/demo/*.java; done
agent=$(ls "$root"/agent/target/livepatch4j-agent-*.jar | grep -v bootstrap | grep -v original | head -1)
java -javaagent:"$agent"=packages=demo -cp "$t/v1/out:$q" demo.Main > "$t/app.out" 2> "$t/app.err" &
pid=$!
sleep 3
"$root/lp4j" build --old "$t/v1/out" --new "$t/v2/out" -o "$t/p.lp4j" > "$t/build.out" 2>&1; echo "build rc=$?"
(timeout 30 "$root/lp4j" apply --pid $pid "$t/p.lp4j"; echo "apply rc=$?") > "$t/apply.out" 2>&1 &
sleep 6
echo "--- status while the pre-apply blocks:"; timeout 20 "$root/lp4j" status --pid $pid | head -12; echo "status rc=$?"
echo "--- rollback while the pre-apply blocks:"; timeout 20 "$root/lp4j" rollback --pid $pid; echo "rollback rc=${PIPESTATUS[0]} (124 = timed out)"
wait %2 2>/dev/null || sleep 25
echo "--- apply:"; cat "$t/apply.out"
echo "--- status after lp4j apply gave up:"; timeout 20 "$root/lp4j" status --pid $pid | head -12
echo "--- app:"; tail -2 "$t/app.out"
kill $pid
echo "dir: $t"
