package io.livepatch4j.it.support;

import io.livepatch4j.it.gen.GenAnchor;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.build.PatchBuilder;

import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The small patch of the soak and race tests: a class of {@code io.livepatch4j.it.gen} whose v2
 * changes two method bodies (one private, one static) and a lambda's body, and adds a lambda before
 * the existing one; v3 does the same with other tags (a second fix of the same code). Every piece reports to {@link GenTrace} with its version, as generated classes do.
 */
public final class SmallPatch {

    public final String className;
    public final IntConsumer instance;
    /** v1 to v2 */
    public final Patch patch;
    /** v1 to v3 */
    public final Patch patchV3;
    /** v2 to v3: a second fix, built against the code v2 runs (a patch applies to the code it was built from) */
    public final Patch patchV2toV3;

    private SmallPatch(String className, IntConsumer instance, Patch patch, Patch patchV3, Patch patchV2toV3) {
        this.className = className;
        this.instance = instance;
        this.patch = patch;
        this.patchV3 = patchV3;
        this.patchV2toV3 = patchV2toV3;
    }

    /** The lambda sites of version {@code v}. */
    public static java.util.Set<String> sites(int v) {
        return v == 1 ? java.util.Set.of("main") : java.util.Set.of("main", "added");
    }

    /** Compiles v1, v2 and v3 of {@code io.livepatch4j.it.gen.SIMPLE}, defines v1 and makes one instance. */
    public static SmallPatch make(String simpleName) throws Exception {
        String name = "io.livepatch4j.it.gen." + simpleName;
        GenBuild v1 = GenBuild.compile(Map.of(name, source(simpleName, 1)));
        GenBuild v2 = GenBuild.compile(Map.of(name, source(simpleName, 2)));
        GenBuild v3 = GenBuild.compile(Map.of(name, source(simpleName, 3)));
        PatchBuilder.Report report = GenBuild.patch(simpleName + "-v2", v1, v2);
        PatchBuilder.Report report3 = GenBuild.patch(simpleName + "-v3", v1, v3);
        PatchBuilder.Report report23 = GenBuild.patch(simpleName + "-v2-v3", v2, v3);
        if (report.patch() == null || report3.patch() == null || report23.patch() == null) {
            throw new IllegalStateException("the builder refused the small patch: " + report.refusals()
                + report3.refusals() + report23.refusals());
        }
        IntConsumer instance = (IntConsumer) GenAnchor.define(v1.bytes.get(name)).getConstructor().newInstance();
        return new SmallPatch(name, instance, report.patch(), report3.patch(), report23.patch());
    }

    /** The source of version {@code v} of {@code io.livepatch4j.it.gen.SIMPLE}. */
    public static String source(String simpleName, int v) {
        String added = v >= 2
            ? "        Runnable added = () -> GenTrace.hit(\"Ladded@v" + v + ":\" + d);\n        added.run();\n"
            : "";
        return "package io.livepatch4j.it.gen;\n\n"
            + "import io.livepatch4j.it.support.GenTrace;\n\n"
            + "public class " + simpleName + " implements java.util.function.IntConsumer {\n"
            + "    private int count;\n\n"
            + "    @Override\n"
            + "    public void accept(int d) {\n"
            + "        GenTrace.hit(\"accept@v" + v + "\");\n"
            + "        first(d);\n"
            + added
            + "        Runnable main = () -> { GenTrace.hit(\"Lmain@v" + v + "\"); GenTrace.hit(second(d + " + v + ")); };\n"
            + "        GenTrace.keep(\"" + simpleName + "\", \"main\", main);\n"
            + "        main.run();\n"
            + "    }\n\n"
            + "    private void first(int d) {\n"
            + "        count += " + v + ";\n"
            + "        GenTrace.hit(\"first@v" + v + "\");\n"
            + "    }\n\n"
            + "    static String second(int d) {\n"
            + "        return \"second@v" + v + ":\" + d;\n"
            + "    }\n"
            + "}\n";
    }
}
