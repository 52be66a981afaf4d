package io.livepatch4j.cli;

import io.livepatch4j.cli.support.ChildJvm;
import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Fixture;
import io.livepatch4j.cli.support.Sources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One fixture pair per kind of change a patch may make: v1 and v2 compiled, `lp4j build` on the two,
 * the program started from v1, `lp4j apply --pid --wait` (attach mode: the agent is loaded by lp4j),
 * and the new behaviour checked in the running JVM.
 */
class ChangeKindFixturesIT {

    static List<Fixture> kinds() {
        return List.of(
            Fixture.subject("instance method body", """
                package fixture;
                public class Subject {
                    private final int base = 40;
                    public static String probe() { return new Subject().answer(); }
                    public String answer() { return "answer=" + (base + 1); }
                }""", """
                package fixture;
                public class Subject {
                    private final int base = 40;
                    public static String probe() { return new Subject().answer(); }
                    public String answer() { return "answer=" + (base + 2); }
                }""", "answer=41", "answer=42"),
            Fixture.subject("static and private methods", """
                package fixture;
                public class Subject {
                    public static String probe() { return twice("a"); }
                    private static String twice(String s) { return s + s; }
                }""", """
                package fixture;
                public class Subject {
                    public static String probe() { return twice("a") + "!"; }
                    private static String twice(String s) { return s + s + s; }
                }""", "aa", "aaa!"),
            Fixture.subject("constructor body after super()", """
                package fixture;
                public class Subject {
                    private final String label;
                    public Subject(String label) { super(); this.label = label.trim(); }
                    public static String probe() { return new Subject(" x ").label; }
                }""", """
                package fixture;
                public class Subject {
                    private final String label;
                    public Subject(String label) { super(); this.label = "[" + label.trim().toUpperCase() + "]"; }
                    public static String probe() { return new Subject(" x ").label; }
                }""", "x", "[X]"),
            Fixture.subject("lambda body and string concatenation", """
                package fixture;
                import java.util.function.Function;
                public class Subject {
                    public static String probe() {
                        Function<Integer, String> f = i -> "n" + i;
                        return f.apply(7);
                    }
                }""", """
                package fixture;
                import java.util.function.Function;
                public class Subject {
                    public static String probe() {
                        Function<Integer, String> f = i -> "n=" + (i * 6);
                        return f.apply(7);
                    }
                }""", "n7", "n=42"),
            Fixture.subject("added lambda and method reference", """
                package fixture;
                import java.util.List;
                public class Subject {
                    public static String probe() { return String.join(",", List.of("b", "a")); }
                }""", """
                package fixture;
                import java.util.List;
                import java.util.stream.Collectors;
                public class Subject {
                    public static String probe() {
                        return List.of("b", "a").stream().sorted().map(Subject::shout).map(s -> s + "*")
                            .collect(Collectors.joining(","));
                    }
                    private static String shout(String s) { return s.toUpperCase(); }
                }""", "b,a", "A*,B*"),
            Fixture.subject("bridge method", """
                package fixture;
                import java.util.function.Function;
                public class Subject implements Function<String, String> {
                    public static String probe() { Function<String, String> f = new Subject(); return f.apply("q"); }
                    @Override public String apply(String s) { return s; }
                }""", """
                package fixture;
                import java.util.function.Function;
                public class Subject implements Function<String, String> {
                    public static String probe() { Function<String, String> f = new Subject(); return f.apply("q"); }
                    @Override public String apply(String s) { return s + s + "-bridged"; }
                }""", "q", "qq-bridged"),
            Fixture.subject("added static method and shadow field", """
                package fixture;
                public class Subject {
                    private static final Subject ONE = new Subject();
                    public static String probe() { return ONE.count(); }
                    public String count() { return "no count"; }
                }""", """
                package fixture;
                public class Subject {
                    private static final Subject ONE = new Subject();
                    private int calls;
                    public static String probe() { return ONE.count(); }
                    public String count() { calls++; return label(calls > 0); }
                    static String label(boolean counting) { return counting ? "counting" : "zero"; }
                }""", "no count", "counting"),
            Fixture.subject("super call", """
                package fixture;
                public class Subject extends Base {
                    public static String probe() { return new Subject().name(); }
                    @Override public String name() { return "sub"; }
                }""", """
                package fixture;
                public class Subject extends Base {
                    public static String probe() { return new Subject().name(); }
                    @Override public String name() { return "sub of " + super.name(); }
                }""", "sub", "sub of base")
                .with("fixture.Base", BASE, BASE),
            Fixture.subject("added class and added nested class", """
                package fixture;
                public class Subject {
                    private final String secret = "s3";
                    public static String probe() { return new Subject().secret; }
                }""", """
                package fixture;
                public class Subject {
                    private final String secret = "s3";
                    public static String probe() { return new Subject().new Peek().look() + "/" + Helper.help(); }
                    final class Peek { String look() { return "peek:" + secret; } }
                }""", "s3", "peek:s3/helped")
                .with("fixture.Helper", null, """
                package fixture;
                final class Helper { static String help() { return "helped"; } }"""),
            Fixture.subject("added class in a new package", """
                package fixture;
                public class Subject {
                    public static String probe() { return "plain"; }
                }""", """
                package fixture;
                public class Subject {
                    public static String probe() { return fixture.fresh.Fresh.make(); }
                }""", "plain", "fresh")
                .with("fixture.fresh.Fresh", null, """
                package fixture.fresh;
                public final class Fresh { public static String make() { return "fresh"; } }"""),
            Fixture.subject("interface default method", """
                package fixture;
                public class Subject implements Greets {
                    public static String probe() { return new Subject().greet(); }
                }""", """
                package fixture;
                public class Subject implements Greets {
                    public static String probe() { return new Subject().greet(); }
                }""", "hello", "hello, world")
                .with("fixture.Greets", """
                package fixture;
                public interface Greets { default String greet() { return "hello"; } }""", """
                package fixture;
                public interface Greets { default String greet() { return "hello, world"; } }"""));
    }

    private static final String BASE = """
        package fixture;
        public class Base { public String name() { return "base"; } }""";

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void patchOfThisKindTakesEffectInARunningJvm(Fixture f) throws Exception {
        Path v1 = Sources.compile("v1", f.v1Build());
        Path v2 = Sources.compile("v2", f.v2Build());
        Path patch = Files.createTempDirectory("lp4j-fixture").resolve("fix.lp4j");
        Cli.Result built = Cli.run("build", "--old", v1.toString(), "--new", v2.toString(), "-o", patch.toString());
        assertEquals(0, built.exit(), built.toString());

        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main")) {
            jvm.awaitLine(l -> l.equals("OUT " + f.before()), 20);
            Cli.Result applied = Cli.run("apply", "--pid", String.valueOf(jvm.pid()), patch.toString(), "--wait",
                "--agent-jar", System.getProperty("lp4j.agent.jar"));
            assertEquals(0, applied.exit(), applied.toString());
            assertTrue(applied.out().contains("complete"), applied.toString());
            jvm.skipOutput();
            String line = jvm.awaitLine(l -> l.startsWith("OUT "), 20);
            assertEquals("OUT " + f.after(), line, "the running JVM runs the new code");
        }
    }
}
