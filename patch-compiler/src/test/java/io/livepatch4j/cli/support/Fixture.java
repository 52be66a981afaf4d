package io.livepatch4j.cli.support;

import java.util.HashMap;
import java.util.Map;

/**
 * Two builds of a tiny program: {@code fixture.Main} prints {@code OUT <Subject.probe()>} every
 * 20 ms from an executor task (a unit of work), so a test sees when the new code runs.
 *
 * @param v1 class name to source, besides Main, for the build the JVM runs
 * @param v2 the same for the fixed build
 * @param before what probe() returns in v1
 * @param after  what probe() returns once the patch is applied
 */
public record Fixture(String name, Map<String, String> v1, Map<String, String> v2, String before, String after) {

    static final String MAIN = """
        package fixture;

        import java.util.concurrent.ExecutorService;
        import java.util.concurrent.Executors;

        public final class Main {
            public static void main(String[] args) throws Exception {
                ExecutorService pool = Executors.newFixedThreadPool(2);
                System.out.println("READY " + ProcessHandle.current().pid());
                while (true) {
                    String v;
                    try {
                        v = pool.submit(Subject::probe).get();
                    } catch (Exception e) {
                        v = "ERROR " + e.getCause();
                    }
                    System.out.println("OUT " + v);
                    Thread.sleep(20);
                }
            }
        }
        """;

    /** The plainest Subject: probe() answers "v1" (a v2 is this with "v2"). */
    public static final String SUBJECT_V1 = """
        package fixture;
        public class Subject {
            public static String probe() { return "v1"; }
        }""";

    /**
     * fixture.Subject whose probe() answers "v1" (the new build: "v2"), or, while the system property
     * fixture.block is true, sleeps inside its unit of work: a straggler that holds a transition back.
     */
    public static final String BLOCKING_SUBJECT = """
        package fixture;
        public class Subject {
            public static String probe() {
                if (Boolean.getBoolean("fixture.block")) {
                    try { Thread.sleep(Long.MAX_VALUE); } catch (InterruptedException e) { return "woken"; }
                }
                return "v1";
            }
        }""";

    /** The fixture of {@link #BLOCKING_SUBJECT}: v1 answers "v1", v2 "v2". */
    public static Fixture blocking(String name) {
        return subject(name, BLOCKING_SUBJECT, BLOCKING_SUBJECT.replace("return \"v1\";", "return \"v2\";"), "v1", "v2");
    }

    /** A fixture whose only class besides Main is fixture.Subject. */
    public static Fixture subject(String name, String v1Subject, String v2Subject, String before, String after) {
        return new Fixture(name, Map.of("fixture.Subject", v1Subject), Map.of("fixture.Subject", v2Subject), before, after);
    }

    public Fixture with(String className, String v1Source, String v2Source) {
        Map<String, String> a = new HashMap<>(v1);
        Map<String, String> b = new HashMap<>(v2);
        if (v1Source != null) {
            a.put(className, v1Source);
        }
        if (v2Source != null) {
            b.put(className, v2Source);
        }
        return new Fixture(name, a, b, before, after);
    }

    /** Both builds compiled and the patch between them written by lp4j build, with id {@code patchId}. */
    public record Built(java.nio.file.Path v1, java.nio.file.Path v2, java.nio.file.Path patch) {
    }

    /** Compiles both builds and builds the patch between them with lp4j (which must succeed). */
    public Built build(String patchId) throws java.io.IOException {
        java.nio.file.Path v1 = Sources.compile("v1", v1Build());
        java.nio.file.Path v2 = Sources.compile("v2", v2Build());
        java.nio.file.Path patch = java.nio.file.Files.createTempDirectory("lp4j-" + name).resolve("fix.lp4j");
        Cli.Result r = Cli.run("build", "--old", v1.toString(), "--new", v2.toString(), "-o", patch.toString(), "--id", patchId);
        if (r.exit() != 0) {
            throw new AssertionError("lp4j build of fixture " + name + " failed:\n" + r);
        }
        return new Built(v1, v2, patch);
    }

    public Map<String, String> v1Build() {
        Map<String, String> all = new HashMap<>(v1);
        all.put("fixture.Main", MAIN);
        return all;
    }

    public Map<String, String> v2Build() {
        Map<String, String> all = new HashMap<>(v2);
        all.put("fixture.Main", MAIN);
        return all;
    }

    @Override
    public String toString() {
        return name;
    }
}
