package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.BuildLoader;
import io.livepatch4j.it.support.GenBuild;
import io.livepatch4j.patch.build.PatchBuilder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A class of a patch that no code has loaded, whose constructor's super(...) call the patch changes
 * (issue 17): the patch loads it with the variant of that call already in its constructor, so no
 * class is retransformed or redefined (a RedefineClasses safepoint). Its objects are built by the
 * call of the generation that creates them, through apply, rollback and a second apply, and a
 * subclass no patch touches inherits the variant. The new call's code calls a private method of the
 * class and the JDK: verifying it can load nothing else, so the class gets the variant as it is defined
 * (AheadVariants; review29, 29b and 29c's tests cover the classes that must not).
 */
class DeferredConstructorCallIT {

    private static final String P = "io.livepatch4j.it.gen.deferredctor";

    private static GenBuild build(String superArgs, String nodeSuperArgs, String tag) {
        return GenBuild.compile(Map.of(
            P + ".Base", "package " + P + ";\npublic class Base {"
                + " protected final String made;"
                + " protected Base(String made) { this.made = made; }"
                + " protected Base(String made, int times) { this.made = made.repeat(times); } }",
            P + ".Thing", "package " + P + ";\npublic class Thing extends Base implements java.util.function.Supplier<String> {"
                + " private static String label(String s) { return \"<\" + s + \">\"; }"
                + " public Thing(String s) { super(" + superArgs + "); }"
                + " public Thing(Node n) { super(" + nodeSuperArgs + "); }"
                + " public String get() { return made + \" " + tag + "\"; } }",
            P + ".Loaded", "package " + P + ";\npublic class Loaded implements java.util.function.Supplier<String> {"
                + " public String get() { return new Thing(\"x\").get() + \" / \" + new Sub(\"y\").get()"
                + " + \" / \" + new Thing(new Node(\"n\")).get(); } }",
            // The new call reads a Node's name: a call on a value of that type, which the verifier loads
            // nothing for, so the class still gets the variant as it is defined.
            P + ".Node", "package " + P + ";\npublic class Node { private final String name;"
                + " public Node(String name) { this.name = name; } public String name() { return name; } }",
            P + ".Anchor", "package " + P + ";\npublic class Anchor { public static String tag() { return \"" + tag + "\"; } }",
            P + ".Sub", "package " + P + ";\npublic class Sub extends Thing {"
                + " public Sub(String s) { super(s); } }"));
    }

    private static String get(ClassLoader loader, String name) throws Exception {
        return BuildLoader.supplied(loader, P + "." + name);
    }

    /** The JVM's redefinitions and retransformations while {@code action} runs, by JFR. */
    private static List<RecordedEvent> redefinitions(ThrowingRunnable action) throws Exception {
        Path file = Files.createTempFile("lp4j-redefinitions", ".jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.RedefineClasses");
            r.enable("jdk.RetransformClasses");
            r.start();
            action.run();
            r.stop();
            r.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().matches("jdk\\.(Redefine|Retransform)Classes"))
                .filter(e -> !byJfr(e)).toList();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** JFR's own retransformation of its event classes, as the recording's settings change. */
    private static boolean byJfr(RecordedEvent e) {
        return e.getStackTrace() != null && e.getStackTrace().getFrames().stream()
            .anyMatch(f -> f.getMethod().getType().getName().startsWith("jdk.jfr.internal."));
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aClassThePatchLoadsGetsItsNewSuperCallWithoutARedefinition() throws Exception {
        GenBuild v1 = build("s", "n.name()", "v1");
        GenBuild v2 = build("label(s.trim()), 2", "n.name().toUpperCase(), 3", "v2");
        PatchBuilder.Report fix = GenBuild.patch("deferred-ctor-call", v1, v2);
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        try (BuildLoader loader = new BuildLoader(v1)) {
            // The agent finds the patch's classes through the loaders of those of them that are loaded.
            loader.loadClass(P + ".Anchor");
            assertTrue(!loader.loaded(P + ".Thing"), "no code has loaded the class the patch changes");
            ApplyResult[] applied = new ApplyResult[1];
            List<RecordedEvent> during = redefinitions(() -> {
                applied[0] = LivePatch.apply(fix.patch(), Strategy.LOCAL);
                assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes");
            });
            assertTrue(loader.loaded(P + ".Thing"), "the patch loaded the class");
            assertEquals(List.of(), during, "no class was redefined or retransformed for the new super(...) call");
            assertEquals("<x><x> v2 / <y><y> v2 / NNN v2", get(loader, "Loaded"),
                "objects made after the apply, of the class and of its subclass, are built by the new call");

            List<RecordedEvent> rollback = redefinitions(() -> {
                LivePatch.rollback(applied[0].fromGeneration(), Strategy.LOCAL);
                assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the rollback completes");
            });
            assertEquals(List.of(), rollback, "a rollback redefines nothing");
            assertEquals("x v1 / y v1 / n v1", get(loader, "Loaded"), "after the rollback: the call and body as loaded");

            List<RecordedEvent> again = redefinitions(() -> {
                LivePatch.apply(fix.patch(), Strategy.LOCAL);
                assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the second apply completes");
            });
            assertEquals(List.of(), again, "applied again, the class already has the variant");
            assertEquals("<x><x> v2 / <y><y> v2 / NNN v2", get(loader, "Loaded"), "the patch's call again");
            LivePatch.rollback(Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the last rollback completes");
        }
    }
}
