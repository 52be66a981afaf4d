package io.livepatch4j.patch.build;

import io.livepatch4j.patch.ChangeKind;
import io.livepatch4j.patch.Javac;
import io.livepatch4j.patch.NotCarried;
import io.livepatch4j.patch.NewClass;
import io.livepatch4j.patch.diff.AssertionSwitch;
import io.livepatch4j.patch.rewrite.ClassRenames;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The builder's issue 11 rules, one by one: what it carries, refuses and reports. The fidelity corpus
 * (agent FidelityCorpusIT) runs each against a patched JVM; these check the builder's decisions alone.
 */
class FidelityRulesTest {

    private static PatchBuilder.Report build(Map<String, byte[]> old, Map<String, byte[]> neu) {
        return PatchBuilder.build(old, neu, new PatchBuilder.Options("t", null, null, "test"));
    }

    private static String notCarried(PatchBuilder.Report r) {
        return String.join("\n", r.notCarried().stream().map(NotCarried::message).toList());
    }

    @Test
    void anAnnotationOnlyChangeIsReportedNeverSaidToBeNoDifference() {
        String anno = "package p; @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME) "
            + "public @interface Hide { }";
        Map<String, byte[]> old = Javac.compileAll(Map.of("p.Hide", anno, "p.U", "package p; public class U { public String pw; }"));
        Map<String, byte[]> neu = Javac.compileAll(Map.of("p.Hide", anno, "p.U", "package p; public class U { @Hide public String pw; }"));
        PatchBuilder.Report r = build(old, neu);
        assertNull(r.patch(), "nothing to run: no patch");
        assertTrue(r.refusals().isEmpty(), r.refusals().toString());
        assertTrue(notCarried(r).contains("p.U#pw:Ljava/lang/String;: the field's runtime annotations changed from none "
            + "to @p.Hide"), notCarried(r));
    }

    @Test
    void aChangedConstantAndSerialVersionUidAreReported() {
        Map<String, byte[]> old = Map.of("p.C", Javac.compile("p.C", "package p; public class C implements java.io.Serializable {"
            + " private static final long serialVersionUID = 1L; public static final int LIMIT = 5; int f() { return LIMIT; } }"));
        Map<String, byte[]> neu = Map.of("p.C", Javac.compile("p.C", "package p; public class C implements java.io.Serializable {"
            + " private static final long serialVersionUID = 2L; public static final int LIMIT = 6; int f() { return LIMIT; } }"));
        PatchBuilder.Report r = build(old, neu);
        assertNotNull(r.patch(), r.refusals().toString());
        assertTrue(notCarried(r).contains("serialVersionUID changed from 1 to 2"), notCarried(r));
        assertTrue(notCarried(r).contains("the constant changed from 5 to 6"), notCarried(r));
        assertEquals(r.notCarried(), r.patch().notCarried(), "the manifest keeps what the report says");
    }

    @Test
    void aChangedResourceIsReportedAndOnlyDebugInformationIsNoChange() {
        byte[] a = Javac.compile("p.A", "package p; public class A { int f() { return 1; } }");
        Builds.Build old = new Builds.Build(Map.of("p.A", a), Map.of("p/app.properties", "x=1".getBytes(StandardCharsets.UTF_8)));
        Builds.Build neu = new Builds.Build(Map.of("p.A", a), Map.of("p/app.properties", "x=2".getBytes(StandardCharsets.UTF_8)));
        PatchBuilder.Report r = PatchBuilder.build(old, neu, new PatchBuilder.Options("t", null, null, "test"));
        assertTrue(notCarried(r).startsWith("p/app.properties: the resource changed"), notCarried(r));

        byte[] moved = Javac.compile("p.A", "package p; public class A {\n\n int f() { return 1; } }");
        PatchBuilder.Report debug = build(Map.of("p.A", a), Map.of("p.A", moved));
        assertNull(debug.patch());
        assertEquals(1, debug.debugOnlyClasses());
        assertTrue(debug.notCarried().isEmpty());
    }

    @Test
    void addedFieldsAndNonPrivateMethodsAreReportedInvisibleToReflectionPrivateMethodsAreNot() {
        Map<String, byte[]> old = Map.of("p.A", Javac.compile("p.A", "package p; public class A { int f() { return 1; } }"));
        Map<String, byte[]> priv = Map.of("p.A", Javac.compile("p.A",
            "package p; public class A { int f() { return g(); } private int g() { return 2; } }"));
        assertTrue(build(old, priv).notCarried().isEmpty(), notCarried(build(old, priv)));
        Map<String, byte[]> field = Map.of("p.A", Javac.compile("p.A",
            "package p; public class A { int hits; int f() { return ++hits; } static int g() { return 2; } }"));
        String reported = notCarried(build(old, field));
        assertTrue(reported.contains("(hits:I, g()I) are not visible to reflection"), reported);
    }

    @Test
    void aSealedPermitsChangeIsRefused() {
        Map<String, byte[]> old = Javac.compileAll(Map.of(
            "p.S", "package p; public sealed interface S permits A { }",
            "p.A", "package p; public final class A implements S { }"));
        Map<String, byte[]> neu = Javac.compileAll(Map.of(
            "p.S", "package p; public sealed interface S permits A, B { }",
            "p.A", "package p; public final class A implements S { }",
            "p.B", "package p; public final class B implements S { }"));
        PatchBuilder.Report r = build(old, neu);
        assertNull(r.patch());
        assertTrue(r.refusals().get(0).message().contains("sealed 'permits' clause"), r.refusals().toString());
    }

    @Test
    void renumberedAnonymousClassesTakeTheirPartnersNames() {
        String a = "new java.util.function.Supplier<String>() { public String get() { return \"a\"; } }";
        String b = "new java.util.function.Supplier<String>() { public String get() { return \"b\"; } }";
        Map<String, byte[]> old = Javac.compileAll(Map.of("p.O", "package p; public class O {"
            + " static Object a() { return " + a + "; } }"));
        Map<String, byte[]> neu = Javac.compileAll(Map.of("p.O", "package p; public class O {"
            + " static Object b() { return " + b + "; } static Object a() { return " + a.replace("\"a\"", "\"a2\"") + "; } }"));
        PatchBuilder.Report r = build(old, neu);
        assertNotNull(r.patch(), r.refusals().toString());
        assertEquals(List.of("p.O", "p.O$1"), r.patch().classes().stream().map(c -> c.name()).sorted().toList());
        assertTrue(r.patch().classPatch("p.O$1").changes().stream().allMatch(c -> c.kind() == ChangeKind.METHOD_BODY),
            "O$1 is a()'s class in both: only its body changed");
        assertTrue(r.patch().newClasses().get(0).name().startsWith("p.O$lp4j$"), "b()'s class is new, under a fresh name");
    }

    @Test
    void aCaseAddedToAnEnumSwitchCarriesACopyOfTheSwitchMap() {
        String color = "package p; public enum Color { RED, GREEN, BLUE }";
        Map<String, byte[]> old = Javac.compileAll(Map.of("p.Color", color, "p.P", "package p; public class P {"
            + " static int f(Color c) { switch (c) { case RED: return 1; default: return 0; } } }"));
        Map<String, byte[]> neu = Javac.compileAll(Map.of("p.Color", color, "p.P", "package p; public class P {"
            + " static int f(Color c) { switch (c) { case RED: return 1; case BLUE: return 3; default: return 0; } } }"));
        PatchBuilder.Report r = build(old, neu);
        assertNotNull(r.patch(), r.refusals().toString());
        String copy = r.patch().classRenames().get("p.P$1");
        assertNotNull(copy, r.patch().classRenames().toString());
        assertTrue(r.patch().newClasses().stream().map(NewClass::name).anyMatch(copy::equals));
        byte[] renamed = ClassRenames.apply(r.patch().classPatch("p.P").targetBytes(), r.patch().classRenames());
        assertTrue(new String(renamed, StandardCharsets.ISO_8859_1).contains(copy.replace('.', '/')),
            "the patched code reads the copy");
    }

    @Test
    void anAssertAddedToAClassWithoutOneIsCarried() {
        Map<String, byte[]> old = Map.of("p.A", Javac.compile("p.A", "package p; public class A { int f(int x) { return x; } }"));
        Map<String, byte[]> neu = Map.of("p.A", Javac.compile("p.A",
            "package p; public class A { int f(int x) { assert x > 0; return x; } }"));
        PatchBuilder.Report r = build(old, neu);
        assertNotNull(r.patch(), r.refusals().toString());
        assertTrue(r.patch().allChanges().stream().anyMatch(c -> c.member().equals(AssertionSwitch.FIELD + ":Z")));
        assertTrue(r.notCarried().isEmpty(), notCarried(r));
    }

    @Test
    void theDefaultSerialVersionUidIsComputedAsSerializationComputesIt() throws Exception {
        java.util.Map<String, byte[]> classes = Javac.compileAll(Map.of("p.S", "package p; public class S implements "
            + "java.io.Serializable { public int a; private int b; protected static final int C = 1; static { System.nanoTime(); }"
            + " public S() { } S(int x) { } public void m(String s) { } private void n() { } static int k() { return 1; } }"));
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("lp4j-suid");
        java.nio.file.Files.createDirectories(dir.resolve("p"));
        java.nio.file.Files.write(dir.resolve("p/S.class"), classes.get("p.S"));
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, null)) {
            long expected = java.io.ObjectStreamClass.lookup(loader.loadClass("p.S")).getSerialVersionUID();
            java.lang.reflect.Method uid = Class.forName("io.livepatch4j.patch.diff.SerialUids")
                .getDeclaredMethod("defaultUid", org.objectweb.asm.tree.ClassNode.class);
            uid.setAccessible(true);
            assertEquals(expected, (long) uid.invoke(null, io.livepatch4j.patch.diff.ClassDiff.read(classes.get("p.S"))));
        }
    }
}
