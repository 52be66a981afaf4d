package io.livepatch4j.it.review29c;

import io.livepatch4j.it.support.BackToStart;
import io.livepatch4j.it.support.BuildLoader;
import io.livepatch4j.it.support.GenBuild;
import io.livepatch4j.patch.build.PatchBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review 29c: missingClassFile only asks whether the class files of the classes a variant names, and
 * of their superclasses and interfaces, exist where the defining loader looks. A class file that
 * exists is not a class that loads (a final or sealed superclass), nor one with the hierarchy the
 * variant needs (a different superclass in the running build): the verifier loads it as it links
 * the class defined with the variant, and a class that fails to verify cannot be defined again.
 * In each case generation-0 code must still build the object, as it could before the patch (its old
 * code never needs Opt).
 */
class Review29cBrokenNamedClassIT {

    private static GenBuild build(String p, boolean v2) {
        Map<String, String> src = new HashMap<>();
        src.put(p + ".Shape", "package " + p + ";\npublic class Shape { public String name() { return \"shape\"; } }");
        src.put(p + ".Opt", "package " + p + ";\npublic class Opt extends Shape {"
            + " public static Opt make() { return new Opt(); } public String name() { return \"opt\"; } }");
        src.put(p + ".Base", "package " + p + ";\npublic class Base { protected final Shape s;"
            + " protected Base(Shape s) { this.s = s; } }");
        src.put(p + ".Thing", "package " + p + ";\npublic class Thing extends Base implements java.util.function.Supplier<String> {"
            + " public Thing() { super(" + (v2 ? "Opt.make()" : "new Shape()") + "); }"
            + " public String get() { return s.name() + \" " + (v2 ? "v2" : "v1") + "\"; } }");
        src.put(p + ".Anchor", "package " + p + ";\npublic class Anchor { public static String tag() { return \""
            + (v2 ? "v2" : "v1") + "\"; } }");
        return GenBuild.compile(src);
    }

    /** Builds the patch, then replaces the running build's class files by {@code swapped}'s, and checks gen 0. */
    private static void run(String id, String p, Map<String, String> swapped) throws Exception {
        GenBuild v1 = build(p, false);
        PatchBuilder.Report fix = GenBuild.patch(id, v1, build(p, true));
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        GenBuild alt = GenBuild.compile(swapped);
        for (String n : swapped.keySet()) {
            String file = n.replace('.', '/') + ".class";
            Files.copy(alt.classes.resolve(file), v1.classes.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        try (BuildLoader loader = new BuildLoader(v1)) {
            loader.loadClass(p + ".Anchor");
            assertTrue(!loader.loaded(p + ".Thing"), "no code has loaded the class the patch changes");
            BackToStart after = BackToStart.run(fix.patch(), loader, p + ".Thing");
            assertEquals("shape v1", after.supplied(), "in the starting generation the class works as loaded (patch "
                + after.outcome() + ")");
        }
    }

    /** The running build's Shape is final: Opt's class file is there, and Opt cannot load. */
    @Test
    void aVariantNamingAClassWhoseSuperclassIsFinalLeavesTheClassUsable() throws Exception {
        String p = "io.livepatch4j.it.gen.r29c.fin";
        run("r29c-final", p, Map.of(p + ".Shape",
            "package " + p + ";\npublic final class Shape { public String name() { return \"shape\"; } }"));
    }

    /** The running build's Shape is sealed and does not permit Opt: Opt cannot load. */
    @Test
    void aVariantNamingAClassItsSealedSuperclassDoesNotPermitLeavesTheClassUsable() throws Exception {
        String p = "io.livepatch4j.it.gen.r29c.sealed";
        run("r29c-sealed", p, Map.of(
            p + ".Shape", "package " + p + ";\npublic sealed class Shape permits Circle { public String name() { return \"shape\"; } }",
            p + ".Circle", "package " + p + ";\npublic final class Circle extends Shape { }"));
    }

    /** The running build's Opt is not a Shape (another superclass there): the variant cannot verify. */
    @Test
    void aVariantNamingAClassWithAnotherSuperclassHereLeavesTheClassUsable() throws Exception {
        String p = "io.livepatch4j.it.gen.r29c.other";
        run("r29c-other", p, Map.of(p + ".Opt",
            "package " + p + ";\npublic class Opt { public static Opt make() { return new Opt(); } }"));
    }
}
