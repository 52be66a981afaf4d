package io.livepatch4j.cli;

import io.livepatch4j.cli.support.ChildJvm;
import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Sources;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of issue 15: a /tmp mounted noexec (a common hardening, e.g. the CIS benchmarks) keeps the
 * agent's JNI library, which it writes to its folder in /tmp, from loading. On JDK 17 the agent then
 * reads no stacks at all ("threads outside units of work are not checked", said only with
 * debug=on): a thread inside an old frame of a changed method moves at once, and the old frame calls
 * the new callees. DESIGN.md: "where no rule applies, at least per-call-stack consistency"; with an
 * exec /tmp the same run never mixes.
 */
@Timeout(120)
class NoexecTmpIT {

    private static final String LOGIC = """
        package fixture;
        public class Logic {
            public static int a() { return 1; }
            public static int b() { return 1; }
            public static int work() throws InterruptedException { int x = a(); Thread.sleep(300); int y = b(); return x * 10 + y; }
        }""";

    private static final String MAIN = """
        package fixture;
        public class Main {
            public static void main(String[] args) throws Exception {
                Thread t = new Thread(() -> {
                    try {
                        while (true) {
                            int r = Logic.work();
                            System.out.println(r == 11 || r == 22 ? "WORK " + r : "MIXED " + r);
                        }
                    } catch (InterruptedException e) {
                        // ends
                    }
                }, "looper");
                t.setDaemon(true);
                t.start();
                System.out.println("READY");
                Thread.sleep(Long.MAX_VALUE);
            }
        }""";

    @Test
    void aThreadInAnOldFrameOfAChangedMethodNeverRunsNewCalleesWithANoexecTmp() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "namespaces need root");
        Path shared = Files.createTempDirectory(Path.of("/var/tmp"), "lp4j-noexec");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path v1 = Sources.compile("v1", Map.of("fixture.Logic", LOGIC, "fixture.Main", MAIN));
        Path v2 = Sources.compile("v2", Map.of("fixture.Main", MAIN, "fixture.Logic",
            LOGIC.replace("return 1;", "return 2;").replace("return x * 10 + y;", "return y + x * 10;")));
        Path patch = shared.resolve("fix.lp4j");
        Cli.Result built = Cli.run("build", "--old", v1.toString(), "--new", v2.toString(), "-o", patch.toString(),
            "--only", "fixture.Logic");
        assertEquals(0, built.exit(), built.toString());
        Path agent = Files.copy(Path.of(System.getProperty("lp4j.agent.jar")), shared.resolve("agent.jar"));
        Path classes = shared.resolve("classes");
        try (var files = Files.walk(v1)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, classes.resolve(v1.relativize(f).toString()));
            }
        }
        try (ChildJvm jvm = ChildJvm.startContained("mount -t tmpfs -o noexec,mode=1777 tmpfs /tmp", classes, "fixture.Main",
            "-javaagent:" + agent + "=packages=fixture")) {
            String pid = String.valueOf(jvm.pid());
            Thread.sleep(4000); // the background start is over
            for (int i = 0; i < 3; i++) {
                Cli.Result applied = Cli.run("apply", "--pid", pid, patch.toString(), "--wait");
                assertEquals(0, applied.exit(), applied.toString());
                Thread.sleep(800);
                Cli.Result back = Cli.run("rollback", "--pid", pid, "--wait");
                assertEquals(0, back.exit(), back.toString());
                Thread.sleep(800);
            }
            Thread.sleep(1000);
            List<String> mixed = jvm.printed().stream().filter(l -> l.startsWith("MIXED")).toList();
            assertEquals(List.of(), mixed, "an old frame of work() ran the new a() or b(): " + jvm.printed());
            assertTrue(jvm.printed().contains("WORK 22"), "the patch ran: " + jvm.printed());
        } finally {
            try (var files = Files.walk(shared)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }
}
