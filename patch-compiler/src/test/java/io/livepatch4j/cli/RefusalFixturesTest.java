package io.livepatch4j.cli;

import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Sources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One fixture pair per kind of change a running JVM cannot take: `lp4j build` refuses it with a line
 * that names the class and the member and says why and what to do, exits 1, and writes nothing.
 */
class RefusalFixturesTest {

    static Stream<Arguments> refusals() {
        return Stream.of(
            refusal("field became static", "public class S { private int n; int get() { return n; } }",
                "public class S { private static int n; int get() { return n; } }",
                "fixture.S#n:I: the field became static"),
            refusal("method became static", "public class S { public int go() { return 1; } }",
                "public class S { public static int go() { return 1; } }",
                "fixture.S#go()I: the method became static"),
            refusal("abstract method made concrete", "public abstract class S { public abstract int go(); }",
                "public abstract class S { public int go() { return 1; } }",
                "fixture.S#go()I: the method's modifiers changed from 'public abstract' to 'public'"),
            refusal("superclass changed", "public class S { }", "public class S extends Thread { }",
                "fixture.S: its superclass changed from java.lang.Object to java.lang.Thread"),
            refusal("interface added", "public class S { }", "public class S implements Runnable { public void run() { } }",
                "fixture.S: the interfaces it implements changed"),
            refusal("class made an interface", "public abstract class S { }", "public interface S { }",
                "fixture.S: its kind changed from 'public abstract' to 'public abstract interface'"),
            refusal("native method added", "public class S { }", "public class S { public native int size(); }",
                "fixture.S#size()I: a native method was added"),
            refusal("constructor now calls an added one", "public class S { public S() { } }",
                "public class S { public S() { this(1); } S(int x) { } }",
                "fixture.S#<init>()V: the constructor now calls this(...) of a constructor the patch adds"),
            refusal("enum constant added", "public enum S { A }", "public enum S { A, B }",
                "an enum constant was added"),
            refusal("interface initializer changed", "public interface S { java.util.List<String> L = java.util.List.of(\"a\"); }",
                "public interface S { java.util.List<String> L = java.util.List.of(\"b\"); }",
                "fixture.S#<clinit>()V: an interface's static initializer changed"));
    }

    private static Arguments refusal(String name, String v1Body, String v2Body, String expected) {
        return Arguments.of(name, "package fixture;\n" + v1Body, "package fixture;\n" + v2Body, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void changeIsRefusedWithClassMemberAndReason(String name, String v1, String v2, String expected) throws Exception {
        Path old = Sources.compile("v1", Map.of("fixture.S", v1));
        Path neu = Sources.compile("v2", Map.of("fixture.S", v2));
        Path out = Files.createTempDirectory("lp4j-refusal").resolve("p.lp4j");
        Cli.Result r = Cli.run("build", "--old", old.toString(), "--new", neu.toString(), "-o", out.toString());
        assertEquals(1, r.exit(), r.toString());
        // The report groups refusals by reason: the class, its member, the reason in words, what to do.
        String report = r.out().replaceAll("\\s+", " ");
        String reason = expected.replaceFirst("^fixture\\.S(#\\S*)?: ", "");
        assertTrue(report.contains("REFUSED: ") && report.contains("fixture.S") && report.contains(reason),
            "the refusal names what and why:\n" + r);
        assertTrue(report.contains("what to do: "), "and what to do instead:\n" + r);
        assertTrue(r.err().lines().count() == 1 && r.err().startsWith("lp4j: ") && r.err().contains("change(s) cannot be patched"),
            "one closing line:\n" + r);
        assertFalse(Files.exists(out), "no patch was written");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void dryRunReportsTheRefusalAndExitsAsBuildWould(String name, String v1, String v2, String expected) {
        Path old = Sources.compile("v1", Map.of("fixture.S", v1));
        Path neu = Sources.compile("v2", Map.of("fixture.S", v2));
        Cli.Result r = Cli.run("build", "--old", old.toString(), "--new", neu.toString(), "--dry-run");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("1 refused"), r.toString());
    }
}
