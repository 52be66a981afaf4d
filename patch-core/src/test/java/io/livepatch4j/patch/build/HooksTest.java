package io.livepatch4j.patch.build;

import io.livepatch4j.patch.Javac;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchFormat;
import io.livepatch4j.patch.PatchHook;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the builder makes of callbacks and transformers in the new build. */
class HooksTest {

    /** The quiescence API's annotations, as the new build compiles against them (the builder reads descriptors). */
    private static final Map<String, String> API = Map.of(
        "io.livepatch4j.quiescence.PatchCallback", """
            package io.livepatch4j.quiescence;
            @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
            public @interface PatchCallback { Phase value(); enum Phase { PRE_APPLY, POST_APPLY, PRE_ROLLBACK, POST_ROLLBACK } }
            """,
        "io.livepatch4j.quiescence.StateTransformer", """
            package io.livepatch4j.quiescence;
            @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
            public @interface StateTransformer { boolean reverse() default false; }
            """);

    private static final String A_V1 = "package p; public class A { public int f() { return 1; } }";
    private static final String A_V2 = "package p; public class A { public int f() { return 2; } }";

    private static PatchBuilder.Report build(Map<String, String> added, String aV2, List<String> only) {
        Map<String, String> v1 = new HashMap<>(API);
        v1.put("p.A", A_V1);
        Map<String, String> v2 = new HashMap<>(API);
        v2.put("p.A", aV2);
        v2.putAll(added);
        return PatchBuilder.build(Javac.compileAll(v1), Javac.compileAll(v2),
            new PatchBuilder.Options("t", null, only, "test"));
    }

    @Test
    void hooksOfAnAddedClassComeWithThePatchWhateverOnlySaysAndSurviveTheFormat() throws Exception {
        PatchBuilder.Report r = build(Map.of("p.FixHooks", """
            package p;
            import io.livepatch4j.quiescence.*;
            public class FixHooks {
                @PatchCallback(PatchCallback.Phase.PRE_APPLY) static void check() { }
                @PatchCallback(PatchCallback.Phase.POST_ROLLBACK) static void after() { }
                @StateTransformer static void migrate() { }
                @StateTransformer(reverse = true) static void back() { }
            }
            """), A_V2, List.of("p.A"));
        Patch p = r.patch();
        assertNotNull(p, r.refusals().toString());
        assertTrue(p.newClasses().stream().anyMatch(c -> c.name().equals("p.FixHooks")), "the hooks class comes along");
        assertEquals(List.of(new PatchHook(PatchHook.Kind.POST_ROLLBACK, "p.FixHooks", "after"),
            new PatchHook(PatchHook.Kind.REVERSE_TRANSFORMER, "p.FixHooks", "back"),
            new PatchHook(PatchHook.Kind.PRE_APPLY, "p.FixHooks", "check"),
            new PatchHook(PatchHook.Kind.TRANSFORMER, "p.FixHooks", "migrate")),
            p.hooks().stream().sorted(java.util.Comparator.comparing(PatchHook::method)).toList());
        assertEquals(p.hooks(), PatchFormat.read(PatchFormat.toBytes(p), "test").hooks(), "the format keeps them");
    }

    @Test
    void aPatchFileWhoseHookNamesNoSuchMethodIsRefusedWhenRead() throws Exception {
        PatchBuilder.Report r = build(Map.of("p.FixHooks", """
            package p;
            public class FixHooks {
                @io.livepatch4j.quiescence.PatchCallback(io.livepatch4j.quiescence.PatchCallback.Phase.PRE_APPLY)
                static void check() { }
            }
            """), A_V2, null);
        Patch p = r.patch();
        assertNotNull(p, r.refusals().toString());
        Patch edited = new Patch(p.id(), p.compiler(), p.createdAt(), p.description(), p.classes(), p.newClasses(), null,
            p.notCarried(), p.classRenames(), p.replace(), p.states(),
            List.of(new PatchHook(PatchHook.Kind.PRE_APPLY, "p.FixHooks", "nope")));
        io.livepatch4j.patch.PatchException e = org.junit.jupiter.api.Assertions.assertThrows(
            io.livepatch4j.patch.PatchException.class, () -> PatchFormat.read(PatchFormat.toBytes(edited), "edited"));
        assertTrue(e.getMessage().contains("FixHooks#nope() is not a static method"), e.getMessage());
    }

    @Test
    void aHookInALoadedClassOrWithArgumentsIsRefused() {
        PatchBuilder.Report inLoaded = build(Map.of(), """
            package p;
            public class A {
                public int f() { return 2; }
                @io.livepatch4j.quiescence.PatchCallback(io.livepatch4j.quiescence.PatchCallback.Phase.PRE_APPLY)
                static void check() { }
            }
            """, null);
        assertNull(inLoaded.patch());
        assertTrue(inLoaded.refusals().toString().contains("declare callbacks and transformers in a class the fix adds"),
            inLoaded.refusals().toString());

        PatchBuilder.Report withArgs = build(Map.of("p.H", """
            package p;
            public class H { @io.livepatch4j.quiescence.StateTransformer static void migrate(A a) { } }
            """), A_V2, null);
        assertNull(withArgs.patch());
        assertTrue(withArgs.refusals().toString().contains("static method with no arguments"), withArgs.refusals().toString());
    }
}
