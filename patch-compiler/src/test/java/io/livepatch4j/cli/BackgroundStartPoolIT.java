package io.livepatch4j.cli;

import io.livepatch4j.cli.support.ChildJvm;
import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Sources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of issue 15: with backgroundStart=on (then the default, now an option whose price docs/agent.md
 * states) the integrations install after main has begun. A ThreadPoolExecutor whose workers started before that (prestartAllCoreThreads, as Tomcat's
 * pool and many servers' do) keeps them in the old runWorker frame for their whole life; their tasks
 * become units only through ThreadPoolExecutor.beforeExecute, which a subclass that overrides it
 * without calling super (an MDC or tracing pool) never reaches. Every task those workers run, for as
 * long as they live, is then no unit of work, and a task running while a patch is applied runs a()
 * of G0 and b() of G1 (with backgroundStart=off: never). DESIGN: "each task run by
 * java.util.concurrent executors" is a unit. This test runs the agent as a user gets it by default.
 */
@Timeout(120)
class BackgroundStartPoolIT {

    private static final String LOGIC = """
        package fixture;
        public class Logic {
            public static int a() { return 1; }
            public static int b() { return 1; }
        }""";

    private static final String MAIN = """
        package fixture;
        import java.util.concurrent.*;
        public class Main {
            static class Pool extends ThreadPoolExecutor {
                Pool() { super(4, 4, 1, TimeUnit.HOURS, new LinkedBlockingQueue<>()); }
                @Override protected void beforeExecute(Thread t, Runnable r) { t.setName("worker-" + t.getId()); }
            }
            public static void main(String[] args) throws Exception {
                Pool pool = new Pool();
                pool.prestartAllCoreThreads();
                System.out.println("READY");
                while (true) {
                    for (int i = 0; i < 4; i++) {
                        pool.execute(() -> {
                            int a = Logic.a();
                            try { Thread.sleep(200); } catch (InterruptedException e) { return; }
                            int b = Logic.b();
                            System.out.println(a == b ? "TASK " + a : "MIXED a=" + a + " b=" + b);
                        });
                    }
                    Thread.sleep(50);
                }
            }
        }""";

    @Test
    void tasksOfWorkersStartedBeforeTheBackgroundInstallAreUnitsOfWork() throws Exception {
        Path v1 = Sources.compile("v1", Map.of("fixture.Logic", LOGIC, "fixture.Main", MAIN));
        Path v2 = Sources.compile("v2", Map.of("fixture.Logic", LOGIC.replace("return 1;", "return 2;"), "fixture.Main", MAIN));
        Path patch = Files.createTempDirectory("lp4j-bg").resolve("fix.lp4j");
        Cli.Result built = Cli.run("build", "--old", v1.toString(), "--new", v2.toString(), "-o", patch.toString(),
            "--only", "fixture.Logic");
        assertEquals(0, built.exit(), built.toString());
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main",
            "-javaagent:" + System.getProperty("lp4j.agent.jar") + "=packages=fixture")) {
            Thread.sleep(5000); // the background install is long over: tasks begun now should be units
            Cli.Result applied = Cli.run("apply", "--pid", String.valueOf(jvm.pid()), patch.toString(), "--wait");
            assertEquals(0, applied.exit(), applied.toString());
            jvm.awaitLine(l -> l.equals("TASK 2"), 20);
            Thread.sleep(500);
            List<String> mixed = jvm.printed().stream().filter(l -> l.startsWith("MIXED")).toList();
            assertEquals(List.of(), mixed, "an executor task ran code of two generations");
            assertTrue(applied.out().contains("complete"), applied.toString());
        }
    }
}
