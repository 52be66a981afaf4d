package io.livepatch4j.patch.build;

import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.Javac;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchFormat;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lp4j build --reinitialize}: what the patch carries, what is refused, and how the format keeps it. */
class ReinitializationsTest {

    private static final Map<String, String> V1 = Map.of(
        "p.Defaults", "package p; public class Defaults { static final java.util.List<String> ALL = Lookups.all(); "
            + "static final String NAME = \"d\"; }",
        "p.Lookups", "package p; class Lookups { static java.util.List<String> all() { return java.util.List.of(\"a\", \"url\"); } }",
        "p.User", "package p; public class User { public String get() { return Defaults.ALL + Defaults.NAME; } }",
        "p.Other", "package p; public class Other { public int n() { return 1; } }",
        "p.SubDefaults", "package p; public class SubDefaults extends Defaults { }",
        "p.SubUser", "package p; public class SubUser { public Object get() { return SubDefaults.ALL; } }",
        "p.Kind", "package p; public enum Kind { A, B }");

    private static Map<String, String> v2() {
        Map<String, String> v2 = new java.util.HashMap<>(V1);
        v2.put("p.Lookups", "package p; class Lookups { static java.util.List<String> all() { return java.util.List.of(\"a\"); } }");
        return v2;
    }

    private static PatchBuilder.Report build(List<String> only, List<String> reinitialize) {
        return PatchBuilder.build(Javac.compileAll(V1), Javac.compileAll(v2()),
            new PatchBuilder.Options("t", null, only, "test", false, reinitialize));
    }

    @Test
    void theClassAndEveryClassThatReadsItsStaticStateComeAlongWhateverOnlySays() throws Exception {
        PatchBuilder.Report r = build(List.of("p.Lookups"), List.of("p.Defaults"));
        Patch p = r.patch();
        assertNotNull(p, r.refusals().toString());
        assertTrue(p.classPatch("p.Defaults").reinitialize());
        assertNotNull(p.classPatch("p.User"), "User reads Defaults.ALL: " + p.classNames());
        assertNull(p.classPatch("p.Other"), "Other reads nothing of it");
        assertNotNull(p.classPatch("p.SubUser"), "SubUser reads it as SubDefaults.ALL (javac names the subclass)");
        assertFalse(p.classPatch("p.Lookups").reinitialize());
        assertTrue(p.classPatch("p.User").changes().get(0).note().contains("reads p.Defaults.ALL"),
            p.classPatch("p.User").changes().toString());
        // NAME is a compile-time constant: javac inlined it, so it is not state the patch re-initializes.
        assertFalse(p.classPatch("p.Defaults").changes().get(0).note().contains("NAME"));

        Patch read = PatchFormat.read(PatchFormat.toBytes(p), "test");
        assertTrue(read.classPatch("p.Defaults").reinitialize(), "the format keeps the flag");
        assertFalse(read.classPatch("p.User").reinitialize());
        ClassPatch plain = read.classPatch("p.Lookups");
        assertEquals(p.classPatch("p.Lookups").targetSha256(), plain.targetSha256());
    }

    @Test
    void anEnumOrAnUnknownClassIsRefused() {
        PatchBuilder.Report e = build(null, List.of("p.Kind"));
        assertNull(e.patch());
        assertTrue(e.refusals().toString().contains("it is an enum"), e.refusals().toString());
        PatchBuilder.Report u = build(null, List.of("p.Nope"));
        assertNull(u.patch());
        assertTrue(u.refusals().toString().contains("not in both builds"), u.refusals().toString());
        PatchBuilder.Report none = build(null, List.of("p.Other"));
        assertNull(none.patch());
        assertTrue(none.refusals().toString().contains("no static fields"), none.refusals().toString());
    }
}
