package io.livepatch4j.cli;

import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Sources;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lp4j build and inspect on inputs that are not what they should be. */
class BuildInputTest {

    @Test
    void twoUnrelatedProgramsAreRefused() {
        Path a = Sources.compile("a", Map.of("one.A", "package one; public class A { }", "one.B", "package one; public class B { }"));
        Path b = Sources.compile("b", Map.of("two.C", "package two; public class C { }", "two.D", "package two; public class D { }"));
        Cli.Result r = Cli.run("build", "--old", a.toString(), "--new", b.toString(), "-o", "/tmp/never.lp4j");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().replaceAll("\\s+", " ").contains("not two builds of one program"), r.toString());
    }

    @Test
    void missingBuildIsAUsageError() {
        Cli.Result r = Cli.run("build", "--old", "/nonexistent/old.jar", "--new", "/nonexistent/new.jar", "-o", "/tmp/x.lp4j");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("/nonexistent/old.jar does not exist"), r.toString());
    }

    @Test
    void onlySelectsAClassAndTheAddedClassesItUses() throws Exception {
        Path v1 = Sources.compile("v1", Map.of(
            "p.Fix", "package p; public class Fix { public String f() { return \"a\"; } }",
            "p.Other", "package p; public class Other { public int g() { return 1; } }"));
        Path v2 = Sources.compile("v2", Map.of(
            "p.Fix", "package p; public class Fix { public String f() { return Help.h(); } }",
            "p.Help", "package p; class Help { static String h() { return \"b\"; } }",
            "p.Other", "package p; public class Other { public int g() { return 2; } }"));
        Path out = Files.createTempDirectory("lp4j-only").resolve("p.lp4j");
        Cli.Result r = Cli.run("build", "--old", v1.toString(), "--new", v2.toString(), "-o", out.toString(), "--only", "p.Fix");
        assertEquals(0, r.exit(), r.toString());
        Cli.Result shown = Cli.run("inspect", out.toString());
        assertTrue(shown.out().contains("p.Fix") && shown.out().contains("adds class p.Help"), shown.toString());
        assertTrue(!shown.out().contains("p.Other"), "left out by --only:\n" + shown);
    }

    @Test
    void whatAPatchDoesNotCarryIsListedAndStrictRefusesIt() throws Exception {
        String anno = "package p; @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME) "
            + "public @interface Hide { }";
        Path v1 = Sources.compile("nc1", Map.of("p.Hide", anno,
            "p.User", "package p; public class User { public String pw = \"x\"; public String f() { return \"a\"; } }"));
        Path v2 = Sources.compile("nc2", Map.of("p.Hide", anno,
            "p.User", "package p; public class User { @Hide public String pw = \"x\"; public String f() { return \"b\"; } }"));
        Path v2AnnotationOnly = Sources.compile("nc3", Map.of("p.Hide", anno,
            "p.User", "package p; public class User { @Hide public String pw = \"x\"; public String f() { return \"a\"; } }"));
        Path out = Files.createTempDirectory("lp4j-nc").resolve("p.lp4j");

        Cli.Result r = Cli.run("build", "--old", v1.toString(), "--new", v2.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("NOT CARRIED: 1 difference(s)") && r.out().replaceAll("\\s+", " ").contains(
            "p.User#pw:Ljava/lang/String;: the field's runtime annotations changed from none to @p.Hide"), r.toString());
        Cli.Result shown = Cli.run("inspect", out.toString());
        assertTrue(shown.out().contains("NOT CARRIED") && shown.out().contains("@p.Hide"), "the patch keeps it:\n" + shown);

        Path strictOut = out.resolveSibling("strict.lp4j");
        Cli.Result strict = Cli.run("build", "--strict", "--old", v1.toString(), "--new", v2.toString(), "-o", strictOut.toString());
        assertEquals(1, strict.exit(), strict.toString());
        assertTrue(strict.err().contains("--strict") && !Files.exists(strictOut), strict.toString());

        Cli.Result only = Cli.run("build", "--old", v1.toString(), "--new", v2AnnotationOnly.toString(), "-o",
            out.resolveSibling("none.lp4j").toString());
        assertEquals(1, only.exit(), only.toString());
        assertTrue(only.err().contains("differ only in what a patch cannot carry") && !only.err().contains("do not differ"),
            only.toString());
    }

    @Test
    void corruptAndTruncatedPatchFilesAreRefusedByInspect() throws Exception {
        Path dir = Files.createTempDirectory("lp4j-bad");
        Path junk = dir.resolve("junk.lp4j");
        Files.write(junk, new byte[] {1, 2, 3, 4});
        Cli.Result r = Cli.run("inspect", junk.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().startsWith("lp4j: ") && r.err().contains("junk.lp4j"), r.toString());
        assertTrue(!r.err().contains("\tat "), "no stack trace without --verbose:\n" + r);
    }
}
