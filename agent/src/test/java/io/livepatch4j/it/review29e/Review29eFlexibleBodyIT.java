package io.livepatch4j.it.review29e;

import io.livepatch4j.it.support.ApplyRollbackApply;
import io.livepatch4j.it.support.BuildLoader;
import io.livepatch4j.it.support.GenBuild;
import io.livepatch4j.patch.build.PatchBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Review 29e: JDK 25 flexible constructor bodies (statements before super(...)) in a class the patch
 * changes that no code has loaded. The variant is spliced in at definition; the tests check that
 * each generation gets its own call: after the apply the version's, after a rollback the loaded one,
 * after a second apply the version's again.
 */
@EnabledForJreRange(min = JRE.JAVA_25)
class Review29eFlexibleBodyIT {

    private static GenBuild build(String p, boolean v2, String ctor) {
        Map<String, String> src = new HashMap<>();
        src.put(p + ".Base", "package " + p + ";\npublic class Base { protected final String s;"
            + " protected Base(String s) { this.s = s; } }");
        src.put(p + ".Thing", "package " + p + ";\npublic class Thing extends Base implements java.util.function.Supplier<String> {"
            + " public Thing() { this(7); }"
            + " public Thing(int k) { " + ctor + " }"
            + " public String get() { return s + \" " + (v2 ? "v2" : "v1") + "\"; } }");
        src.put(p + ".Anchor", "package " + p + ";\npublic class Anchor { public static String tag() { return \""
            + (v2 ? "v2" : "v1") + "\"; } }");
        return GenBuild.compile(src, "25");
    }


    private static void run(String id, String p, String v1Ctor, String v2Ctor, String v1, String v2) throws Exception {
        run(id, p, v1Ctor, v2Ctor, v1, v2, false);
    }

    private static void run(String id, String p, String v1Ctor, String v2Ctor, String v1, String v2, boolean loadFirst)
        throws Exception {
        GenBuild before = build(p, false, v1Ctor);
        PatchBuilder.Report fix = GenBuild.patch(id, before, build(p, true, v2Ctor));
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        ApplyRollbackApply.check(id, fix.patch(), before, p, v1, v2, loadFirst);
    }

    /** The version's constructor starts with a loop: its code's first frame is at its first instruction. */
    @Test
    void aVariantStartingWithALoopIsTheVersionsCall() throws Exception {
        run("r29e-loop2", "io.livepatch4j.it.gen.r29e.loop2", "super(\"shape\");",
            "do { k -= 2; } while (k > 5); super(\"shape\" + k);", "shape v1", "shape5 v2");
    }

    /** The loaded constructor starts with a loop; the version changes only its call. */
    @Test
    void aLoadedConstructorStartingWithALoopKeepsItsCode() throws Exception {
        run("r29e-loop1", "io.livepatch4j.it.gen.r29e.loop1", "do { k -= 2; } while (k > 5); super(\"a\" + k);",
            "do { k -= 2; } while (k > 5); super(\"b\" + k);", "a5 v1", "b5 v2");
    }

    /** The loaded constructor starts with a loop; the version's call has none. */
    @Test
    void aLoadedConstructorStartingWithALoopGetsAPlainVariant() throws Exception {
        run("r29e-loop0", "io.livepatch4j.it.gen.r29e.loop0", "do { k -= 2; } while (k > 5); super(\"a\" + k);",
            "super(\"b\");", "a5 v1", "b v2");
    }

    /** As aVariantStartingWithALoopIsTheVersionsCall, the class loaded before the apply (retransformed). */
    @Test
    void aLoadedClassGetsAVariantStartingWithALoop() throws Exception {
        run("r29e-loopL", "io.livepatch4j.it.gen.r29e.loopL", "super(\"shape\");",
            "do { k -= 2; } while (k > 5); super(\"shape\" + k);", "shape v1", "shape5 v2", true);
    }

    /** A local declared before the call, read after it in the body. */
    @Test
    void aVariantWithALocalBeforeItsCallIsTheVersionsCall() throws Exception {
        run("r29e-local", "io.livepatch4j.it.gen.r29e.local", "super(\"shape\");",
            "int j = k * 3; if (j > 20) { j = 20; } super(\"shape\" + j);", "shape v1", "shape20 v2");
    }
}
