package io.livepatch4j.it.review28;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.it.support.GenBuild;
import io.livepatch4j.patch.build.PatchBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Change 1 (PatchPlan.loadDeferred on ApplyWorkers): two plug-in loaders that import each other's
 * package (cyclic delegation) and are not parallel capable, so loading through one holds its
 * monitor. Loading the patch's deferred classes on one thread (c22821f's parent) takes both
 * monitors in one order each time; on two threads, a class of A whose superclass is B's, and a class
 * of B whose superclass is A's, take them in opposite orders.
 */
class Review28CyclicLoadersIT {

    private static final String P = "io.livepatch4j.it.gen.r28cyc";

    private static Map<String, String> sources(int v) {
        Map<String, String> s = new HashMap<>();
        s.put(P + ".a.BaseA", "package " + P + ".a;\npublic class BaseA { public String base() { return \"baseA\"; } }");
        s.put(P + ".b.BaseB", "package " + P + ".b;\npublic class BaseB { public String base() { return \"baseB\"; } }");
        s.put(P + ".a.Later", "package " + P + ".a;\npublic class Later { }");
        for (String side : new String[] {"a", "b"}) {
            String up = side.toUpperCase();
            s.put(P + "." + side + ".Loaded" + up, supplier(side, "Loaded" + up, "", v));
            for (int i = 0; i < 5; i++) {
                s.put(P + "." + side + ".Filler" + up + i, supplier(side, "Filler" + up + i, "", v));
            }
        }
        s.put(P + ".a.XA", supplier("a", "XA", " extends " + P + ".b.BaseB", v));
        s.put(P + ".b.ZB", supplier("b", "ZB", " extends " + P + ".a.BaseA", v));
        return s;
    }

    private static String supplier(String pkg, String name, String ext, int v) {
        return "package " + P + "." + pkg + ";\npublic class " + name + ext + " implements java.util.function.Supplier<String> {"
            + " public String get() { return \"" + name + " v" + v + "\"; } }";
    }

    @SuppressWarnings("unchecked")
    private static String call(ClassLoader l, String name) throws Exception {
        return ((Supplier<String>) Class.forName(name, true, l).getConstructor().newInstance()).get();
    }

    @Test
    void deferredClassesOfTwoCyclicPeerLoadersLoadWithoutDeadlock() throws Exception {
        GenBuild v1 = GenBuild.compile(sources(1));
        GenBuild v2 = GenBuild.compile(sources(2));
        PatchBuilder.Report fix = GenBuild.patch("r28-cyclic-peers", v1, v2);
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());

        ClassLoader parent = Review28CyclicLoadersIT.class.getClassLoader();
        R28Support.PeerLoader a = new R28Support.PeerLoader("plugin-a", v1.classes, P + ".a", parent);
        R28Support.PeerLoader b = new R28Support.PeerLoader("plugin-b", v1.classes, P + ".b", parent);
        a.peer = b;
        b.peer = a;
        a.slow.add(P + ".a.XA");
        b.slow.add(P + ".b.ZB");
        assertEquals("LoadedA v1", call(a, P + ".a.LoadedA"));
        assertEquals("LoadedB v1", call(b, P + ".b.LoadedB"));

        CompletableFuture<ApplyResult> apply = R28Support.applySharing(fix.patch(), "r28-lp4j-request");
        ApplyResult applied = R28Support.await(apply, 30);
        if (applied == null) {
            String deadlocks = R28Support.deadlocks();
            // What the application sees meanwhile: loading any new class of plug-in A blocks.
            CompletableFuture<Object> later = CompletableFuture.supplyAsync(() -> {
                try {
                    return Class.forName(P + ".a.Later", false, a);
                } catch (ClassNotFoundException e) {
                    return e;
                }
            });
            boolean appBlocked;
            try {
                later.get(3, java.util.concurrent.TimeUnit.SECONDS);
                appBlocked = false;
            } catch (java.util.concurrent.TimeoutException e) {
                appBlocked = true;
            }
            fail("the apply did not return within 30 s (deadlock between the apply's loading threads); "
                + "an application thread loading a new class through plug-in A is " + (appBlocked ? "blocked too" : "not blocked")
                + "; helper threads alive: " + R28Support.threads("livepatch4j-apply-") + "\n" + deadlocks);
        }
        // On c22821f some of these are "livepatch4j-apply-loading-N" (the helpers); on its parent only the request's thread.
        System.out.println("r28: threads that defined the plug-ins' classes: " + R28Support.DEFINERS);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes");
        assertEquals("XA v2", call(a, P + ".a.XA"));
        assertEquals("ZB v2", call(b, P + ".b.ZB"));
    }
}
