package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Anon;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DESIGN.md: "an object created by old code keeps its own body" (said of lambdas; identity by creation
 * site). Anonymous classes are named by javac by position: v2 adds a method b() with an anonymous class
 * above a(), so v2's Anon$1 is b()'s class and a()'s becomes Anon$2. The builder pairs them by
 * creation site (issue 11): v2's Anon$2 is patched in as Anon$1, b()'s class is added under a fresh name.
 */
class AnonymousClassRenumberedIT {

    static final String V2 = "package io.livepatch4j.it.review.app;\n"
        + "import java.util.function.Supplier;\n"
        + "public class Anon {\n"
        + "  public static Supplier<String> b() { return new Supplier<String>() { public String get() { return \"b-v2\"; } }; }\n"
        + "  public static Supplier<String> a() { return new Supplier<String>() { public String get() { return \"a-v2\"; } }; }\n"
        + "}\n";

    @Test
    @Timeout(60)
    void anOldAnonymousObjectKeepsItsOwnBody() throws Exception {
        Supplier<String> old = Anon.a(); // made by G0 code: an Anon$1
        Patch p = TestPatches.buildLikeLp4j("review-anon", Map.of("io.livepatch4j.it.review.app.Anon", V2));
        System.out.println("[review] anon patch: changed " + p.classes().stream().map(c -> c.name()).toList()
            + ", added " + p.newClasses().stream().map(c -> c.name()).toList());
        LivePatch.apply(p, Strategy.LOCAL);
        LivePatch.awaitTransition(Duration.ofSeconds(5));
        String s = Quiescence.call(() -> old.get() + " / new a(): " + Anon.a().get());
        System.out.println("[review] anon after patch: old a() object says " + s);
        assertEquals("a-v2", s.substring(0, s.indexOf(' ')), "the old a() object runs b()'s body");
    }
}
