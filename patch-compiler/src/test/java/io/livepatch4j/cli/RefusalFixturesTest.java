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
            refusal("field type changed", "public class S { private int n; int get() { return n; } }",
                "public class S { private long n; int get() { return (int) n; } }",
                "fixture.S#n:I: the field's type changed from int to long"),
            refusal("non-private field removed", "public class S { protected int n; }", "public class S { }",
                "fixture.S#n:I: the protected field was removed"),
            refusal("field modifiers changed", "public class S { private int n; }", "public class S { private volatile int n; }",
                "fixture.S#n:I: the field's modifiers changed from 'private' to 'private volatile'"),
            refusal("superclass changed", "public class S { }", "public class S extends Thread { }",
                "fixture.S: its superclass changed from java.lang.Object to java.lang.Thread"),
            refusal("interface added", "public class S { }", "public class S implements Runnable { public void run() { } }",
                "fixture.S: the interfaces it implements changed"),
            refusal("public method removed", "public class S { public void go() { } }", "public class S { }",
                "fixture.S#go()V: the public method was removed"),
            refusal("public instance method added", "public class S { }", "public class S { public int size() { return 1; } }",
                "fixture.S#size()I: a public instance method was added"),
            refusal("method modifiers changed", "public class S { public void go() { } }", "public class S { public final void go() { } }",
                "fixture.S#go()V: the method's modifiers changed"),
            refusal("static initializer changed", "public class S { static int N = 1; }", "public class S { static int N = 2; }",
                "fixture.S#<clinit>()V: the static initializer changed"),
            refusal("constructor added", "public class S { }", "public class S { public S() { } public S(int x) { } }",
                "fixture.S#<init>(I)V: a constructor was added"),
            refusal("super() arguments changed", "public class S extends Thread { public S() { super(\"a\"); } }",
                "public class S extends Thread { public S() { super(\"b\"); } }",
                "fixture.S#<init>()V: the constructor's super(...)/this(...) call or the code computing its arguments changed"),
            refusal("enum constant added", "public enum S { A }", "public enum S { A, B }",
                "an enum constant was added"),
            refusal("class made final", "public class S { }", "public final class S { }",
                "fixture.S: its class modifiers changed from 'public' to 'public final'"));
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
    void dryRunReportsTheRefusalAndExitsZero(String name, String v1, String v2, String expected) {
        Path old = Sources.compile("v1", Map.of("fixture.S", v1));
        Path neu = Sources.compile("v2", Map.of("fixture.S", v2));
        Cli.Result r = Cli.run("build", "--old", old.toString(), "--new", neu.toString(), "--dry-run");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("1 refused"), r.toString());
    }
}
