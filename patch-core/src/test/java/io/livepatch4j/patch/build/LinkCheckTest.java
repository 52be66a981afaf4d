package io.livepatch4j.patch.build;

import io.livepatch4j.patch.Javac;
import io.livepatch4j.patch.diff.Refusal;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every reference in the patch's code resolves after the apply, or the build is refused (LinkCheck), and --closure. */
class LinkCheckTest {

    private static PatchBuilder.Report build(Map<String, byte[]> old, Map<String, byte[]> neu, List<String> only,
                                             boolean closure) {
        return PatchBuilder.build(old, neu, new PatchBuilder.Options("t", null, only, "test", closure));
    }

    @Test
    void referencesToTheJdkTheRunningBuildAndWhatThePatchAddsResolve() {
        Map<String, byte[]> old = Javac.compileAll(Map.of(
            "p.A", "package p; public class A { public String f() { return \"a\"; } }",
            "p.B", "package p; public class B { public static int size(String s) { return s.length(); } }"));
        Map<String, byte[]> neu = Javac.compileAll(Map.of(
            "p.A", "package p; public class A { private int calls; public String f() { calls++; "
                + "return java.util.HexFormat.of().formatHex(\"a\".repeat(B.size(\"xy\")).getBytes()) + new N().g() + helper(); }"
                + " private static String helper() { return \"\"; } }",
            "p.B", "package p; public class B { public static int size(String s) { return s.length(); } }",
            "p.N", "package p; class N { String g() { return java.util.List.of(1).toString(); } }"));
        PatchBuilder.Report r = build(old, neu, List.of("p.A"), false);
        assertNotNull(r.patch(), r.refusals().toString());
        assertTrue(r.unchecked().isEmpty(), "JDK classes are checked against the running JDK: " + r.unchecked());
    }

    @Test
    void aMemberOnlyTheNewBuildOfALeftOutClassHasIsRefusedNamingIt() {
        Map<String, byte[]> old = Javac.compileAll(Map.of(
            "app.Main", "package app; public class Main { public String run() { return lib.Util.greet(); } }",
            "lib.Util", "package lib; public class Util { public static String greet() { return \"1\"; } }"));
        Map<String, byte[]> neu = Javac.compileAll(Map.of(
            "app.Main", "package app; public class Main { public String run() { return lib.Util.greet(2); } }",
            "lib.Util", "package lib; public class Util { public static String greet(int n) { return \"2\"; } "
                + "public static String greet() { return \"1\"; } }"));
        PatchBuilder.Report r = build(old, neu, List.of("app.Main"), false);
        assertNull(r.patch());
        Refusal refusal = r.refusals().get(0);
        assertTrue(refusal.message().contains("app.Main#run()Ljava/lang/String;: its new code uses lib.Util#greet(I)Ljava/lang/String;, "
            + "which the new build adds to lib.Util"), refusal.message());
        assertTrue(refusal.message().contains("NoSuchMethodError") && refusal.message().contains("include lib.Util"),
            refusal.message());
        assertEquals("missing-member", ReasonCodes.of(refusal).code());
    }

    @Test
    void aClassNeitherTheRunningJvmNorThePatchHasIsRefused() {
        Map<String, byte[]> old = Javac.compileAll(Map.of("p.A", "package p; public class A { Object f() { return null; } }"));
        Map<String, byte[]> neu = Javac.compileAll(Map.of(
            "p.A", "package p; public class A { Object f() { return new Gone(); } }",
            "p.Gone", "package p; class Gone { }"));
        Map<String, byte[]> users = Map.of("p/A", neu.get("p.A"));
        LinkCheck.Result r = LinkCheck.check(new LinkCheck.After(old, neu, Set.of(), Map.of(), Map.of()), users);
        assertEquals(1, r.refusals().size(), r.refusals().toString());
        assertTrue(r.refusals().get(0).message().contains("uses class p.Gone") && r.refusals().get(0).message()
            .contains("NoClassDefFoundError") && r.refusals().get(0).message().contains("include class p.Gone"),
            r.refusals().get(0).message());
        Map<String, byte[]> added = new HashMap<>(Map.of("p/Gone", neu.get("p.Gone")));
        assertTrue(LinkCheck.check(new LinkCheck.After(old, neu, Set.of(), added, Map.of()), users).refusals().isEmpty(),
            "the same reference resolves once the patch adds the class");
    }

    @Test
    void classesOutsideBothBuildsAreCountedAsUncheckedNotRefused() {
        Map<String, byte[]> compiled = Javac.compileAll(Map.of(
            "p.A", "package p; public class A { Object f() { return ext.Dep.make(); } }",
            "ext.Dep", "package ext; public class Dep { public static Object make() { return null; } }"));
        Map<String, byte[]> old = Javac.compileAll(Map.of("p.A", "package p; public class A { Object f() { return null; } }"));
        PatchBuilder.Report r = build(old, Map.of("p.A", compiled.get("p.A")), null, false);
        assertNotNull(r.patch(), r.refusals().toString());
        assertEquals(Set.of("ext.Dep"), r.unchecked());
    }

    /**
     * javac (for release 8) uses an outer class's switch map class also as the tag type of the access
     * constructors of its private nested classes; the patch's copy of the switch map must not rename
     * the tag in those calls, or the patched code would not link. Found on snakeyaml 1.30 -> 1.31.
     */
    @Test
    void aSwitchMapThatIsAlsoAnAccessTagIsNotRenamedIntoACallThatCannotLink() throws Exception {
        String outer = "package p; public class Outer { private class Inner { int v() { return 1; } }"
            + " public int f(E e) { switch (e) { case A: return new Inner().v(); default: return %d; } } }";
        Map<String, byte[]> old = release8(Map.of("p.E", "package p; public enum E { A, B }", "p.Outer", outer.formatted(2)));
        Map<String, byte[]> neu = release8(Map.of("p.E", "package p; public enum E { A, B }", "p.Outer", outer.formatted(3)));
        assertTrue(old.containsKey("p.Outer$1") && ClassShapeProbe.hasTag(old.get("p.Outer$Inner")),
            "javac made Outer$1 both the switch map and the access tag: " + old.keySet());
        PatchBuilder.Report r = build(old, neu, null, false);
        assertNull(r.patch(), "a patch whose code calls a constructor no class has would fail with NoSuchMethodError");
        assertEquals(1, r.refusals().size(), r.refusals().toString());
        assertTrue(r.refusals().get(0).message().contains("javac uses its switch map class p.Outer$1 also as the tag "
            + "type of a synthetic access constructor"), r.refusals().get(0).message());
        assertEquals("switch-map-access-tag", ReasonCodes.of(r.refusals().get(0)).code());
    }

    /** Compiles for release 8, where javac still writes access constructors with a tag class. */
    private static Map<String, byte[]> release8(Map<String, String> sources) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("lp4j-r8");
        List<String> args = new java.util.ArrayList<>(List.of("--release", "8", "-nowarn", "-d", dir.toString()));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            java.nio.file.Path f = dir.resolve(e.getKey().replace('.', '/') + ".java");
            java.nio.file.Files.createDirectories(f.getParent());
            java.nio.file.Files.writeString(f, e.getValue());
            args.add(f.toString());
        }
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        assertEquals(0, javax.tools.ToolProvider.getSystemJavaCompiler().run(null, err, err, args.toArray(new String[0])),
            err.toString());
        Map<String, byte[]> out = new java.util.TreeMap<>();
        try (var files = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path f : files.filter(x -> x.toString().endsWith(".class")).toList()) {
                out.put(dir.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""),
                    java.nio.file.Files.readAllBytes(f));
            }
        }
        return out;
    }

    /** Whether a nested class has javac's access constructor, the one that takes the tag. */
    private static final class ClassShapeProbe {
        static boolean hasTag(byte[] bytes) {
            return io.livepatch4j.patch.diff.ClassShape.of(bytes).hasMethod("<init>", "(Lp/Outer;Lp/Outer$1;)V");
        }
    }

    @Test
    void closureIncludesTheChangedClassesTheSelectedCodeNeedsToLinkAndSaysWhy() {
        Map<String, byte[]> old = Javac.compileAll(Map.of(
            "p.A", "package p; public class A { public int f() { return 1; } }",
            "p.B", "package p; public class B { public static int g() { return 1; } }",
            "p.C", "package p; public class C { public static int h() { return 1; } }",
            "p.D", "package p; public class D { public static int i() { return 1; } }"));
        Map<String, byte[]> neu = Javac.compileAll(Map.of(
            "p.A", "package p; public class A { public int f() { return B.helper(); } }",
            "p.B", "package p; public class B { public static int g() { return 1; } static int helper() { return C.more(); } }",
            "p.C", "package p; public class C { public static int h() { return 1; } static int more() { return 2; } }",
            "p.D", "package p; public class D { public static int i() { return 2; } }"));
        assertNull(build(old, neu, List.of("p.A"), false).patch(), "without --closure: refused");
        PatchBuilder.Report r = build(old, neu, List.of("p.A"), true);
        assertNotNull(r.patch(), r.refusals().toString());
        assertEquals(List.of("p.A", "p.B", "p.C"), r.patch().classes().stream().map(c -> c.name()).sorted().toList(),
            "A needs B.helper(), which needs C.more(); D is not needed");
        PatchBuilder.ClassReport b = r.classes().stream().filter(c -> c.name().equals("p.B")).findFirst().orElseThrow();
        assertEquals("--closure: p.A uses static int helper(), which the new build adds to it", b.includedBy());
    }

    @Test
    void aCallToAChangedBodyInALeftOutClassLinksAndIsNoted() {
        Map<String, byte[]> old = Javac.compileAll(Map.of(
            "p.A", "package p; public class A { public int f() { return B.g(); } }",
            "p.B", "package p; public class B { public static int g() { return 1; } }"));
        Map<String, byte[]> neu = Javac.compileAll(Map.of(
            "p.A", "package p; public class A { public int f() { return B.g() + 1; } }",
            "p.B", "package p; public class B { public static int g() { return 2; } }"));
        PatchBuilder.Report r = build(old, neu, List.of("p.A"), true);
        assertNotNull(r.patch(), "it links: --closure does not need B");
        assertEquals(List.of("p.A"), r.patch().classes().stream().map(c -> c.name()).toList());
        assertTrue(r.warnings().contains("p.A calls p.B.g(), whose body the new build changed; p.B is left out, so the "
            + "patched code runs the old body there (include p.B if the fix depends on it)"), r.warnings().toString());
    }

    @Test
    void anAddedClassComesWithItsAnonymousClasses() {
        Map<String, byte[]> old = Javac.compileAll(Map.of("p.A", "package p; public class A { public Object f() { return null; } }"));
        Map<String, byte[]> neu = Javac.compileAll(Map.of(
            "p.A", "package p; public class A { public Object f() { return S.ONE.get(); } }",
            "p.S", "package p; enum S { ONE { Object get() { return 1; } }; abstract Object get(); }"));
        PatchBuilder.Report r = build(old, neu, List.of("p.A"), false);
        assertNotNull(r.patch(), r.refusals().toString());
        assertEquals(List.of("p.S", "p.S$1"), r.patch().newClasses().stream().map(c -> c.name()).sorted().toList());
    }
}
