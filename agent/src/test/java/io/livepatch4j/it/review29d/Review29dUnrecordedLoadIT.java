package io.livepatch4j.it.review29d;

import io.livepatch4j.it.support.BackToStart;
import io.livepatch4j.it.support.BuildLoader;
import io.livepatch4j.it.support.GenBuild;
import io.livepatch4j.patch.build.PatchBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review 29d: VerifierLoads records the classes of ASM's SimpleVerifier assignability checks, but
 * HotSpot's verifier loads classes in checks SimpleVerifier does not make:
 * <ul>
 * <li>{@code athrow}: HotSpot checks the thrown value is a Throwable (loading its class); ASM only
 * checks it is a reference;</li>
 * <li>{@code invokevirtual} of a protected method of a superclass in another package (here
 * {@code Object.clone()}, which javac leaves owned by Object) on a value of another class: HotSpot
 * checks that value is assignable to the current class (loading its class); ASM checks it against
 * Object, which it answers without a class.</li>
 * <li>a join whose frame declares a JDK class (Number) where the value arriving by a jump is an app
 * class (Opt) and the other arm is null: HotSpot checks Opt against the declared Number (loading
 * Opt); ASM merges Opt with null into Opt and then passes it where Object is expected.</li>
 * </ul>
 * So a variant passes the rule, is spliced in as the class is defined, and the class then fails
 * to link, for good, where that class is in the running program not what the patch was built
 * against. Generation-0 code never needs it and must still build the object.
 */
class Review29dUnrecordedLoadIT {

    private static GenBuild build(String p, boolean v2, String thingCtor1, String thingCtor2) {
        Map<String, String> src = new HashMap<>();
        src.put(p + ".Base", "package " + p + ";\npublic class Base { protected final String s;"
            + " protected Base(String s) { this.s = s; } }");
        src.put(p + ".Oops", "package " + p + ";\npublic class Oops extends RuntimeException { }");
        src.put(p + ".Opt", "package " + p + ";\npublic class Opt extends Number { public static Opt make() { return new Opt(); }"
            + " public int intValue() { return 7; } public long longValue() { return 7; }"
            + " public float floatValue() { return 7; } public double doubleValue() { return 7; } }");
        src.put(p + ".Sub", "package " + p + ";\npublic class Sub extends Thing implements Cloneable { public Sub() { } }");
        src.put(p + ".Thing", "package " + p + ";\npublic class Thing extends Base implements java.util.function.Supplier<String> {"
            + " public Thing() { this(1); }"
            + " public Thing(int k) { super(" + (v2 ? thingCtor1 : "\"shape\"") + "); }"
            + " public Thing(Sub other) throws Exception { super(" + (v2 ? thingCtor2 : "\"other\"") + "); }"
            + " public String get() { return s + \" " + (v2 ? "v2" : "v1") + "\"; } }");
        src.put(p + ".Anchor", "package " + p + ";\npublic class Anchor { public static String tag() { return \""
            + (v2 ? "v2" : "v1") + "\"; } }");
        return GenBuild.compile(src);
    }

    private static void run(String id, String p, String thingCtor1, String thingCtor2, Map<String, String> swapped,
                            Set<String> removed) throws Exception {
        GenBuild v1 = build(p, false, thingCtor1, thingCtor2);
        PatchBuilder.Report fix = GenBuild.patch(id, v1, build(p, true, thingCtor1, thingCtor2));
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        if (!swapped.isEmpty()) {
            GenBuild alt = GenBuild.compile(swapped);
            for (String n : swapped.keySet()) {
                String file = n.replace('.', '/') + ".class";
                Files.copy(alt.classes.resolve(file), v1.classes.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        for (String n : removed) {
            Files.delete(v1.classes.resolve(n.replace('.', '/') + ".class"));
        }
        try (BuildLoader loader = new BuildLoader(v1)) {
            loader.loadClass(p + ".Anchor");
            assertTrue(!loader.loaded(p + ".Thing"), "no code has loaded the class the patch changes");
            BackToStart after = BackToStart.run(fix.patch(), loader, p + ".Thing");
            assertEquals("shape v1", after.supplied(), "in the starting generation the class works as loaded (patch "
                + after.outcome() + ")");
        }
    }

    /** The running build's Oops is not a Throwable: verifying the variant's athrow fails. */
    @Test
    void aVariantThrowingAClassThatIsNotAThrowableHereLeavesTheClassUsable() throws Exception {
        String p = "io.livepatch4j.it.gen.r29d.thr";
        run("r29d-throw", p, "switch (k) { case 0 -> throw new Oops(); default -> \"shape\"; }", "\"other\"",
            Map.of(p + ".Oops", "package " + p + ";\npublic class Oops { }"), Set.of());
    }

    /** The running build has no Oops (an optional dependency): verifying the variant's athrow cannot load it. */
    @Test
    void aVariantThrowingAnAbsentClassLeavesTheClassUsable() throws Exception {
        String p = "io.livepatch4j.it.gen.r29d.abs";
        run("r29d-absent", p, "switch (k) { case 0 -> throw new Oops(); default -> \"shape\"; }", "\"other\"",
            Map.of(), Set.of(p + ".Oops"));
    }

    /**
     * The running build's Sub is not a Thing: verifying the variant's protected Object.clone() call on a
     * Sub checks Sub against Thing and fails ("Bad access to protected data").
     */
    @Test
    void aVariantCallingProtectedCloneOnAnotherClassLeavesTheClassUsable() throws Exception {
        String p = "io.livepatch4j.it.gen.r29d.prot";
        run("r29d-protected", p, "\"shape\"", "String.valueOf(other.clone())",
            Map.of(p + ".Sub", "package " + p + ";\npublic class Sub implements Cloneable { public Sub() { } }"), Set.of());
    }

    /**
     * The running build's Opt is not a Number: the frame after {@code k == 0 ? Opt.make() : null} (in a
     * context that types it Number) declares Number, and the verifier checks Opt against it.
     */
    @Test
    void aVariantJoiningAClassIntoADeclaredJdkFrameTypeLeavesTheClassUsable() throws Exception {
        String p = "io.livepatch4j.it.gen.r29d.join";
        run("r29d-join", p, "String.valueOf(java.util.Objects.<Number>requireNonNullElse(k == 0 ? Opt.make() : null, 1))",
            "\"other\"", Map.of(p + ".Opt", "package " + p + ";\npublic class Opt { public static Opt make() { return new Opt(); } }"),
            Set.of());
    }
}
