package io.livepatch4j.patch.build;

import io.livepatch4j.patch.Javac;
import io.livepatch4j.patch.diff.Refusal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PatchBuilderTest {

    private static PatchBuilder.Report build(Map<String, byte[]> old, Map<String, byte[]> neu, List<String> only) {
        return PatchBuilder.build(old, neu, new PatchBuilder.Options("t", null, only, "test"));
    }

    @Test
    void selectedCodeThatUsesAMemberAddedToALeftOutClassIsRefused() {
        Map<String, byte[]> old = Map.of(
            "p.A", Javac.compile("p.A", "package p; public class A { public int f() { return 1; } }"),
            "p.B", Javac.compile("p.B", "package p; public class B { }"));
        Map<String, byte[]> neu = Javac.compileAll(Map.of(
            "p.A", "package p; public class A { public int f() { return B.helper(); } }",
            "p.B", "package p; public class B { public static int helper() { return 2; } }"));
        PatchBuilder.Report left = build(old, neu, List.of("p.A"));
        assertNull(left.patch());
        Refusal r = left.refusals().get(0);
        assertTrue(r.message().contains("p.B#helper()I, which the new build adds to p.B"), r.message());
        assertTrue(r.message().contains("include p.B"), r.message());
        PatchBuilder.Report both = build(old, neu, List.of("p.A", "p.B"));
        assertNotNull(both.patch(), both.refusals().toString());
    }

    @Test
    void addedClassInANewPackageIsPartOfThePatch() {
        Map<String, byte[]> old = Map.of(
            "p.A", Javac.compile("p.A", "package p; public class A { public int f() { return 1; } }"));
        Map<String, byte[]> neu = Javac.compileAll(Map.of(
            "p.A", "package p; public class A { public int f() { return q.N.two(); } }",
            "q.N", "package q; public class N { public static int two() { return 2; } }"));
        PatchBuilder.Report r = build(old, neu, List.of("p.A"));
        assertNotNull(r.patch(), r.refusals().toString());
        assertEquals("q.N", r.patch().newClasses().get(0).name());
    }

    @Test
    void countsOnlyTheSelectedClasses() {
        Map<String, byte[]> old = Map.of(
            "p.A", Javac.compile("p.A", "package p; public class A { int f() { return 1; } }"),
            "p.B", Javac.compile("p.B", "package p; public class B { int g() { return 1; } }"));
        Map<String, byte[]> neu = Map.of(
            "p.A", Javac.compile("p.A", "package p; public class A { int f() { return 2; } }"),
            "p.B", Javac.compile("p.B", "package p; public class B { int g() { return 2; } }"));
        assertEquals(1, build(old, neu, List.of("p.A")).changedMethods());
        assertEquals(2, build(old, neu, null).changedMethods());
    }

    @Test
    void lambdaAddedBeforeAnExistingOneIsReportedAsAddedNotAsAChangedBody() {
        Map<String, byte[]> old = Map.of("p.A", Javac.compile("p.A", "package p; import java.util.function.*;"
            + " public class A { Supplier<String> install() { return () -> \"installed\"; } }"));
        Map<String, byte[]> neu = Map.of("p.A", Javac.compile("p.A", "package p; import java.util.function.*;"
            + " public class A { Supplier<String> install() { Supplier<String> audit = () -> \"audited\";"
            + " return audit.get().isEmpty() ? audit : () -> \"installed\"; } }"));
        PatchBuilder.Report r = build(old, neu, null);
        assertNotNull(r.patch(), r.refusals().toString());
        List<io.livepatch4j.patch.Change> changes = r.classes().get(0).changes();
        assertTrue(changes.stream().noneMatch(c -> c.member().startsWith("lambda$install$0")), changes.toString());
        assertEquals(1, r.addedMethods(), changes.toString());
        assertEquals(io.livepatch4j.patch.Sha256.hex(neu.get("p.A")), r.patch().classes().get(0).targetSha256(),
            "the patch carries javac's bytes; the agent renames them against the version that runs");
    }
}
