package io.livepatch4j.it.review29f;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.ApplyRollbackApply;
import io.livepatch4j.it.support.BuildLoader;
import io.livepatch4j.it.support.GenBuild;
import io.livepatch4j.patch.build.PatchBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review 29f: the structure of constructors with JDK 25 flexible bodies, spliced in at definition
 * (the class not loaded before the apply) and by the retransformation (loaded first). Each test
 * checks: the class links, each generation builds its objects with its own call (expected values
 * computed by running each build unpatched), rollback and re-apply.
 */
@EnabledForJreRange(min = JRE.JAVA_25)
class Review29fStructureIT {

    /** {@code members}: Thing's members besides get(); {@code get}: get()'s return expression. */
    private static GenBuild build(String p, String tag, String members, String get) {
        Map<String, String> src = new HashMap<>();
        src.put(p + ".Base", "package " + p + ";\npublic class Base { protected final String s;"
            + " protected Base(String s) { this.s = s; } }");
        src.put(p + ".Thing", "package " + p + ";\npublic class Thing extends Base implements java.util.function.Supplier<String> {"
            + members
            + " public String get() { return " + get + " + \" " + tag + "\"; } }");
        src.put(p + ".Anchor", "package " + p + ";\npublic class Anchor { public static String tag() { return \""
            + tag + "\"; } }");
        return GenBuild.compile(src, "25");
    }


    /** What the version supplies unpatched, built in a package of its own (the class under test stays unloaded). */
    private static String unpatched(String p, String tag, String members, String get) throws Exception {
        String q = p + "ref" + tag;
        try (BuildLoader l = new BuildLoader(build(q, tag, members, get))) {
            return BuildLoader.suppliedOrFailure(l, q + ".Thing");
        }
    }

    private static final String STD_V1 = " public Thing() { this(7); } public Thing(int k) { super(\"a\" + k); }";

    /** Thing(int k)'s code in v2; v1 is {@code super("a" + k);}. */
    private static void ctor(String id, String v2Ctor) throws Exception {
        both(id, STD_V1, " public Thing() { this(7); } public Thing(int k) { " + v2Ctor + " }", "s", "s");
    }

    private static void both(String id, String m1, String m2, String g1, String g2) throws Exception {
        run(id + "d", m1, m2, g1, g2, false);
        run(id + "l", m1, m2, g1, g2, true);
    }

    private static void run(String id, String m1, String m2, String g1, String g2, boolean loadFirst) throws Exception {
        String p = "io.livepatch4j.it.gen.r29f." + id;
        GenBuild before = build(p, "v1", m1, g1);
        GenBuild after = build(p, "v2", m2, g2);
        String v1 = unpatched(p, "v1", m1, g1);
        String v2 = unpatched(p, "v2", m2, g2);
        assertTrue(!v1.startsWith("FAILED") && !v2.startsWith("FAILED"), v1 + " / " + v2);
        PatchBuilder.Report fix = GenBuild.patch("r29f-" + id, before, after);
        if (fix.patch() == null) {
            System.out.println("[r29f] " + id + " refused by the builder: " + fix.refusals());
            return;
        }
        ApplyRollbackApply.check("r29f-" + id, fix.patch(), before, p, v1, v2, loadFirst);
    }

    @Test
    void nestedLoopsWithLongAndDoubleLocals() throws Exception {
        ctor("nest", "long acc = 0; double d = 0.5; for (int i = 0; i < k; i++) { for (int j = 0; j < i; j++) { acc += j; d *= 2; } }"
            + " super(\"b\" + acc + \":\" + (long) d);");
    }

    @Test
    void tableAndLookupSwitchesBeforeTheCall() throws Exception {
        ctor("sw", "String t; switch (k) { case 6 -> t = \"six\"; case 7 -> t = \"seven\"; case 8 -> t = \"eight\"; default -> t = \"o\"; }"
            + " int u = switch (k * 1000) { case 1 -> 1; case 7000 -> 2; case 99999 -> 3; default -> 4; };"
            + " String w = switch (t) { case \"seven\" -> \"S\"; case \"x\" -> \"X\"; default -> \"D\"; };"
            + " super(t + u + w);");
    }

    @Test
    void arraysBeforeTheCall() throws Exception {
        ctor("arr", "int[] a = new int[k]; for (int i = 0; i < a.length; i++) { a[i] = i * i; }"
            + " String[][] n = {{\"x\"}, {\"y\", \"z\"}}; long[] q = {1L, 2L}; double[] e = new double[2]; e[1] = 2.5;"
            + " super(n[1][1] + a[k - 1] + q[1] + e[1]);");
    }

    @Test
    void earlyThrowBeforeTheCall() throws Exception {
        ctor("thr", "if (k < 0) { throw new IllegalArgumentException(\"neg\"); } if (k > 100) throw new IllegalStateException();"
            + " super(\"t\" + k);");
    }

    @Test
    void uninitializedObjectsAcrossFramesBeforeTheCall() throws Exception {
        ctor("uninit", "super(new StringBuilder(k > 3 ? \"x\" : \"y\").append(k > 5 ? k : -k).toString());");
    }

    private static final String LAM_V2 = " public Thing() { this(7); } public Thing(int k) {"
        + " java.util.function.IntUnaryOperator f = x -> x * 3; super(\"l\" + f.applyAsInt(k)); }";

    /** A lambda before the version's call, the class not loaded: refused with a PatchException or applied. */
    @Test
    void lambdaBeforeTheCallAtDefinition() throws Exception {
        run("lamd", STD_V1, LAM_V2, "s", "s", false);
    }

    /** As above, the class loaded first. */
    @Test
    void lambdaBeforeTheCallLoaded() throws Exception {
        run("laml", STD_V1, LAM_V2, "s", "s", true);
    }

    @Test
    void parameterReassignedBeforeTheCallSeenByTheBody() throws Exception {
        both("par", " private int n; public Thing() { this(7); } public Thing(int k) { super(\"a\"); n = k; }",
            " private int n; public Thing() { this(7); } public Thing(int k) { k = k * 2; super(\"b\"); n = k; }",
            "s + n", "s + n");
    }

    @Test
    void ownFieldAssignedBeforeSuper() throws Exception {
        both("fld", " private final int n; public Thing() { this(7); } public Thing(int k) { super(\"a\"); n = k; }",
            " private final int n; public Thing() { this(7); } public Thing(int k) { n = k + 1; super(\"b\"); }",
            "s + n", "s + n");
    }

    @Test
    void ownFieldAssignedBeforeSuperInTheLoadedCode() throws Exception {
        both("fld0", " private final int n; public Thing() { this(7); } public Thing(int k) { n = k * 3; super(\"a\"); }",
            " private final int n; public Thing() { this(7); } public Thing(int k) { int z = k; while (z > 2) z--; n = z; super(\"b\" + k); }",
            "s + n", "s + n");
    }

    private static final String ADDF_V1 = " public Thing() { this(7); } public Thing(int k) { super(\"a\"); }";
    private static final String ADDF_V2 = " private int extra; public Thing() { this(7); } public Thing(int k) { extra = k + 1; super(\"b\"); }";

    /** A field the patch adds, assigned before super(...), the class not loaded: refused or applied, never broken. */
    @Test
    void addedFieldAssignedBeforeSuperAtDefinition() throws Exception {
        run("addfd", ADDF_V1, ADDF_V2, "s", "s + extra", false);
    }

    /** As above, the class loaded first (retransformation). */
    @Test
    void addedFieldAssignedBeforeSuperLoaded() throws Exception {
        run("addfl", ADDF_V1, ADDF_V2, "s", "s + extra", true);
    }

    @Test
    void thisCallWithStatementsBeforeIt() throws Exception {
        both("this", STD_V1,
            " public Thing() { int q = 3; long w = 2; while (q < 10) { q += (int) w; } this(q); } public Thing(int k) { super(\"a\" + k); }",
            "s", "s");
    }

    @Test
    void severalConstructorsEachWithAVariant() throws Exception {
        both("sev", " public Thing() { this(7, \"x\"); } public Thing(int k) { super(\"a\" + k); }"
                + " public Thing(int k, String z) { super(z + k); } public Thing(long w, double d) { super(\"w\" + w + d); }",
            " public Thing() { int q = 2; while (q < 5) q++; this(q, \"m\"); }"
                + " public Thing(int k) { for (int i = 0; i < 3; i++) k++; super(\"b\" + k); }"
                + " public Thing(int k, String z) { long w = k; double d = w / 2.0; this(w * 10, d); }"
                + " public Thing(long w, double d) { do { w--; } while (w > 40); super(\"w\" + w + d); }",
            "s", "s");
    }

    @Test
    void loadedLoopAndVariantWithOtherLocals() throws Exception {
        both("ll", " public Thing() { this(7); } public Thing(int k) { int c = 0; do { k -= 2; c++; } while (k > 5); super(\"a\" + k + c); }",
            " public Thing() { this(7); } public Thing(int k) { long x = k; double y = x / 2.0; while (x > 1) { x--; y += x; }"
                + " String[] r = {\"r\"}; super(r[0] + (long) y); }",
            "s", "s");
    }

    /** Two stacked patches, each changing the call: variants 1 and 2 in the switch. */
    @Test
    void twoPatchesInARowEachChangingTheCall() throws Exception {
        twoInARow("two2d", false);
        twoInARow("two2l", true);
    }

    /** Both patches applied before the class is loaded. */
    @Test
    void twoPatchesInARowBeforeTheClassLoads() throws Exception {
        twoInARow("two2b", null);
    }

    /** loadFirst: true = before the first apply; false = between the applies; null = after both. */
    private static void twoInARow(String id, Boolean loadFirst) throws Exception {
        String p = "io.livepatch4j.it.gen.r29f." + id;
        String m2 = " public Thing() { this(7); } public Thing(int k) { int j = k; do { j -= 2; } while (j > 4); super(\"b\" + j); }";
        String m3 = " public Thing() { this(7); } public Thing(int k) { long m = 1; for (int i = 0; i < k; i++) { switch (i % 3) { case 0 -> m *= 2; case 1 -> m += 3; default -> m--; } } super(\"c\" + m); }";
        GenBuild b1 = build(p, "v1", STD_V1, "s");
        GenBuild b2 = build(p, "v2", m2, "s");
        GenBuild b3 = build(p, "v3", m3, "s");
        String v1 = unpatched(p, "v1", STD_V1, "s"), v2 = unpatched(p, "v2", m2, "s"), v3 = unpatched(p, "v3", m3, "s");
        PatchBuilder.Report pa = GenBuild.patch("r29f-" + id + "-a", b1, b2);
        PatchBuilder.Report pb = GenBuild.patch("r29f-" + id + "-b", b2, b3);
        assertNotNull(pa.patch(), "patch a: " + pa.refusals());
        assertNotNull(pb.patch(), "patch b: " + pb.refusals());
        long start = LivePatch.currentGeneration();
        try (BuildLoader loader = new BuildLoader(b1)) {
            loader.loadClass(p + ".Anchor");
            StringBuilder seen = new StringBuilder();
            if (Boolean.TRUE.equals(loadFirst)) {
                seen.append(BuildLoader.suppliedOrFailure(loader, p + ".Thing")).append(" / ");
            }
            LivePatch.apply(pa.patch(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
            long genA = LivePatch.currentGeneration();
            if (loadFirst != null) {
                seen.append(BuildLoader.suppliedOrFailure(loader, p + ".Thing")).append(" / ");
            }
            try {
                LivePatch.apply(pb.patch(), Strategy.LOCAL);
            } catch (io.livepatch4j.patch.PatchException e) {
                System.out.println("[r29f] " + id + " b refused: " + e.getMessage());
                assertEquals(v2, BuildLoader.suppliedOrFailure(loader, p + ".Thing"), "refused (" + e.getMessage() + "), patch a still serves");
                return;
            }
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
            seen.append(BuildLoader.suppliedOrFailure(loader, p + ".Thing")).append(" / ");
            LivePatch.rollback(genA, Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
            seen.append(BuildLoader.suppliedOrFailure(loader, p + ".Thing")).append(" / ");
            LivePatch.rollback(start, Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
            seen.append(BuildLoader.suppliedOrFailure(loader, p + ".Thing")).append(" / ");
            LivePatch.apply(pa.patch(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
            LivePatch.apply(pb.patch(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
            seen.append(BuildLoader.suppliedOrFailure(loader, p + ".Thing"));
            String expected = (Boolean.TRUE.equals(loadFirst) ? v1 + " / " : "") + (loadFirst != null ? v2 + " / " : "")
                + v3 + " / " + v2 + " / " + v1 + " / " + v3;
            assertEquals(expected, seen.toString(), "each generation's call");
        } finally {
            if (LivePatch.currentGeneration() != start) {
                LivePatch.rollback(start, Strategy.LOCAL);
                LivePatch.awaitTransition(Duration.ofSeconds(10));
            }
        }
    }
}
