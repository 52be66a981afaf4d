package io.livepatch4j.it.review28;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.it.support.GenBuild;
import io.livepatch4j.patch.build.PatchBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Change 1: a parallel-capable loader whose loadClass takes ClassLoader's lock per class name and
 * whose findClass is synchronized on the loader (a lock of its own). A patch's deferred Sub and its
 * deferred Super, loaded on two threads: Sub's thread holds the loader and asks for Super's name
 * lock (resolving the superclass); Super's thread holds that and asks for the loader. The patch's
 * other deferred classes are another loader's, so the second thread reaches Super without waiting.
 */
class Review28SyncFindClassLoaderIT {

    private static Map<String, String> sources(String base, int v) {
        Map<String, String> s = new HashMap<>();
        s.put(base + ".l.Loaded", supplier(base + ".l", "Loaded", "", v));
        s.put(base + ".l.Super", supplier(base + ".l", "Super", "", v));
        s.put(base + ".l.Sub", supplier(base + ".l", "Sub", " extends Super", v));
        s.put(base + ".m.LoadedM", supplier(base + ".m", "LoadedM", "", v));
        for (int i = 0; i < 7; i++) {
            s.put(base + ".m.Filler" + i, supplier(base + ".m", "Filler" + i, "", v));
        }
        return s;
    }

    private static String supplier(String pkg, String name, String ext, int v) {
        return "package " + pkg + ";\npublic class " + name + ext + " implements java.util.function.Supplier<String> {"
            + " public String get() { return \"" + name + " v" + v + "\"; } }";
    }

    @Test
    void aDeferredSubclassAndItsDeferredSuperclassLoadWithoutDeadlock() throws Exception {
        // A package whose patch lists Sub before Super (the plan's order is the patch's).
        String base = null;
        GenBuild v1 = null;
        PatchBuilder.Report fix = null;
        for (int k = 0; k < 20 && base == null; k++) {
            String b = "io.livepatch4j.it.gen.r28sync" + k;
            GenBuild one = GenBuild.compile(sources(b, 1));
            PatchBuilder.Report r = GenBuild.patch("r28-sync-find", one, GenBuild.compile(sources(b, 2)));
            assertNotNull(r.patch(), "the builder makes the patch: " + r.refusals());
            List<String> order = r.patch().classes().stream().map(c -> c.name()).toList();
            if (order.indexOf(b + ".l.Sub") < order.indexOf(b + ".l.Super")) {
                base = b;
                v1 = one;
                fix = r;
            }
        }
        assertNotNull(base, "a package where the patch lists Sub before Super");
        R28Support.ParallelSyncFindLoader l = new R28Support.ParallelSyncFindLoader("sync-find-l", v1.classes, base + ".l",
            getClass().getClassLoader());
        R28Support.ParallelSyncFindLoader m = new R28Support.ParallelSyncFindLoader("sync-find-m", v1.classes, base + ".m",
            getClass().getClassLoader());
        l.slow.add(base + ".l.Sub");
        assertEquals("Loaded v1", R28Pair.call(l, base + ".l.Loaded"));
        assertEquals("LoadedM v1", R28Pair.call(m, base + ".m.LoadedM"));

        CompletableFuture<ApplyResult> apply = R28Support.applySharing(fix.patch(), "r28-lp4j-request");
        ApplyResult applied = R28Support.await(apply, 30);
        String order = fix.patch().classes().stream().map(c -> c.name().substring(c.name().lastIndexOf('.') + 1)).toList()
            .toString();
        if (applied == null) {
            fail("the apply did not return within 30 s; patch order " + order + "; helper threads alive: "
                + R28Support.threads("livepatch4j-apply-") + "\n" + R28Support.deadlocks());
        }
        System.out.println("r28: threads that defined the classes: " + R28Support.DEFINED_BY + "; patch order: " + order);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes");
        assertEquals("Sub v2", R28Pair.call(l, base + ".l.Sub"));
        assertEquals("Super v2", R28Pair.call(l, base + ".l.Super"));
    }
}
