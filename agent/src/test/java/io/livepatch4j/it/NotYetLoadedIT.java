package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.BuildLoader;
import io.livepatch4j.it.support.GenBuild;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.build.PatchBuilder;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A class of a patch that no code has loaded yet (issue 17): a refused patch must not load it (the
 * checks read its class file), and an applied one loads it, prepared as it is defined, so that when
 * the application first uses it, it runs the patch's code.
 */
class NotYetLoadedIT {

    private static final String USED = "io.livepatch4j.it.gen.deferred.Used";
    private static final String UNUSED = "io.livepatch4j.it.gen.deferred.NotYetUsed";
    /** The second test's own classes: a class loaded by two loaders at once is refused. */
    private static final String USED2 = "io.livepatch4j.it.gen.deferred2.Used";
    private static final String UNUSED2 = "io.livepatch4j.it.gen.deferred2.NotYetUsed";

    /**
     * A child-first loader (a web application's, over a jar whose older copy its parent has): its
     * resources are its parent's where both have one, while it defines classes from its own jar.
     */
    static final class ChildFirst extends URLClassLoader {
        ChildFirst(GenBuild build, ClassLoader parent) throws Exception {
            super(new URL[] {build.classes.toUri().toURL()}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && name.startsWith("io.livepatch4j.it.gen.deferred2.")) {
                    c = findClass(name);
                }
                return c != null ? c : super.loadClass(name, resolve);
            }
        }
    }

    /**
     * The same, with no URLClassLoader in it (a module system's or a plugin host's own loader): it
     * defines from a directory of its own and lists that copy only among its resources (findResource),
     * after its parent's.
     */
    static final class ChildFirstOwnLoader extends ClassLoader {
        private final java.nio.file.Path classes;

        ChildFirstOwnLoader(GenBuild build, ClassLoader parent) {
            super(parent);
            this.classes = build.classes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && name.startsWith("io.livepatch4j.it.gen.deferred4.")) {
                    c = findClass(name);
                }
                return c != null ? c : super.loadClass(name, resolve);
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            try {
                byte[] b = java.nio.file.Files.readAllBytes(classes.resolve(name.replace('.', '/') + ".class"));
                return defineClass(name, b, 0, b.length);
            } catch (java.io.IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }

        @Override
        protected URL findResource(String name) {
            java.nio.file.Path f = classes.resolve(name);
            try {
                return java.nio.file.Files.exists(f) ? f.toUri().toURL() : null;
            } catch (java.net.MalformedURLException e) {
                return null;
            }
        }

        @Override
        protected java.util.Enumeration<URL> findResources(String name) {
            URL u = findResource(name);
            return java.util.Collections.enumeration(u == null ? java.util.List.of() : java.util.List.of(u));
        }
    }

    private static GenBuild build(int used, int unused) {
        return build("deferred", used, unused);
    }

    private static GenBuild build(String pkg, int used, int unused) {
        String p = "io.livepatch4j.it.gen." + pkg;
        return GenBuild.compile(Map.of(
            p + ".Used", "package " + p + ";\npublic class Used implements java.util.function.Supplier<String> {"
                + " public String get() { return \"used v" + used + "\"; } }",
            p + ".NotYetUsed", "package " + p + ";\npublic class NotYetUsed implements java.util.function.Supplier<String> {"
                + " static { System.setProperty(\"lp4j.it." + pkg + ".initialized\", \"yes\"); }"
                + " public String get() { return \"not yet used v" + unused + "\"; } }"));
    }

    private static String call(ClassLoader loader, String name) throws Exception {
        return BuildLoader.supplied(loader, name);
    }

    @Test
    void aRefusedPatchLoadsNoClassAndAnAppliedOneRunsItsCodeWhenTheClassIsFirstUsed() throws Exception {
        GenBuild v1 = build(1, 1);
        GenBuild v2 = build(2, 2);
        // Built against another build of Used: its base does not match what runs, so the patch is refused.
        GenBuild other = build(7, 1);
        PatchBuilder.Report wrongBase = GenBuild.patch("not-yet-loaded-wrong-base", other, v2);
        PatchBuilder.Report fix = GenBuild.patch("not-yet-loaded", v1, v2);
        assertNotNull(wrongBase.patch(), "the builder makes the patch: " + wrongBase.refusals());
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        try (BuildLoader loader = new BuildLoader(v1)) {
            assertEquals("used v1", call(loader, USED));
            assertTrue(loader.loaded(USED) && !loader.loaded(UNUSED));

            PatchException refused = assertThrows(PatchException.class,
                () -> LivePatch.apply(wrongBase.patch(), Strategy.LOCAL));
            assertTrue(refused.getMessage().contains(USED), refused.getMessage());
            assertTrue(!loader.loaded(UNUSED), "a refused patch loads no class of its own: " + refused.getMessage());
            // Refused for the class no code has loaded: its class file is not the patch's base.
            PatchException notItsBase = assertThrows(PatchException.class, () -> LivePatch.apply(
                GenBuild.patch("not-yet-loaded-other-base", build(1, 9), v2).patch(), Strategy.LOCAL));
            assertTrue(notItsBase.getMessage().contains(UNUSED), notItsBase.getMessage());
            assertTrue(!loader.loaded(UNUSED), "refused for its base, the class is still not loaded");

            ApplyResult applied = LivePatch.apply(fix.patch(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes");
            assertTrue(loader.loaded(UNUSED), "the applied patch loaded the class it patches");
            assertNull(System.getProperty("lp4j.it.deferred.initialized"), "loading it ran none of its code");
            assertEquals("used v2", call(loader, USED));
            assertEquals("not yet used v2", call(loader, UNUSED), "first used after the patch: the patch's code runs");
            LivePatch.rollback(applied.fromGeneration(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the rollback completes");
            assertEquals("not yet used v1", call(loader, UNUSED), "after the rollback: the class as loaded");
        }
    }

    @Test
    void aPatchItsOwnCallbackVetoesLeavesTheClassAsLoaded() throws Exception {
        String p = "io.livepatch4j.it.gen.deferred3";
        GenBuild v1 = build("deferred3", 20, 20);
        Map<String, String> v2 = new java.util.HashMap<>(Map.of(
            p + ".Used", "package " + p + ";\npublic class Used implements java.util.function.Supplier<String> {"
                + " public String get() { return \"used v21\"; } }",
            p + ".Veto", "package " + p + ";\npublic class Veto {"
                + " @io.livepatch4j.quiescence.PatchCallback(io.livepatch4j.quiescence.PatchCallback.Phase.PRE_APPLY)"
                + " static void pre() { throw new IllegalStateException(\"not now\"); } }"));
        PatchBuilder.Report vetoed = GenBuild.patch("not-yet-loaded-veto", v1, GenBuild.compile(v2));
        assertNotNull(vetoed.patch(), "the builder makes the patch: " + vetoed.refusals());
        try (BuildLoader loader = new BuildLoader(v1)) {
            assertEquals("used v20", call(loader, p + ".Used"));
            Class<?> used = loader.loadClass(p + ".Used");
            PatchException refused = assertThrows(PatchException.class,
                () -> LivePatch.apply(vetoed.patch(), Strategy.LOCAL));
            assertTrue(refused.getMessage().contains("not now"), refused.getMessage());
            io.livepatch4j.agent.bootstrap.PatchableClass runtime = io.livepatch4j.agent.bootstrap.PatchableClass.of(used);
            assertTrue(!runtime.patched(), "the guard is off again");
            assertTrue(runtime.original() != null && runtime.original().installed(), "the original's code stays "
                + "installed: a call that read the guard before it went off still selects, and finds it");
            assertEquals("used v20", call(loader, p + ".Used"));
        }
    }

    @Test
    void aClassAChildFirstLoaderDefinesFromItsOwnJarIsCheckedAsItDefinesIt() throws Exception {
        GenBuild v0 = build("deferred2", 10, 10);
        GenBuild v1 = build("deferred2", 11, 11);
        GenBuild v2 = build("deferred2", 12, 12);
        PatchBuilder.Report fix = GenBuild.patch("not-yet-loaded-child-first", v1, v2);
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        try (URLClassLoader parent = new URLClassLoader(new URL[] {v0.classes.toUri().toURL()},
                NotYetLoadedIT.class.getClassLoader());
             ChildFirst loader = new ChildFirst(v1, parent)) {
            assertEquals("used v11", call(loader, USED2));
            ApplyResult applied = LivePatch.apply(fix.patch(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes");
            assertEquals("not yet used v12", call(loader, UNUSED2), "the copy the child defines is patched");
            assertEquals(loader, loader.loadClass(UNUSED2).getClassLoader());
            LivePatch.rollback(applied.fromGeneration(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the rollback completes");
        }
    }

    @Test
    void aClassAChildFirstLoaderOfItsOwnKindDefinesIsCheckedAsItDefinesIt() throws Exception {
        String used = "io.livepatch4j.it.gen.deferred4.Used";
        String unused = "io.livepatch4j.it.gen.deferred4.NotYetUsed";
        GenBuild v0 = build("deferred4", 30, 30);
        GenBuild v1 = build("deferred4", 31, 31);
        GenBuild v2 = build("deferred4", 32, 32);
        PatchBuilder.Report fix = GenBuild.patch("not-yet-loaded-child-first-own", v1, v2);
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        try (URLClassLoader parent = new URLClassLoader(new URL[] {v0.classes.toUri().toURL()},
                NotYetLoadedIT.class.getClassLoader())) {
            ChildFirstOwnLoader loader = new ChildFirstOwnLoader(v1, parent);
            assertEquals("used v31", call(loader, used));
            ApplyResult applied = LivePatch.apply(fix.patch(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes");
            assertEquals("not yet used v32", call(loader, unused), "the copy the child defines is patched");
            assertEquals(loader, loader.loadClass(unused).getClassLoader());
            LivePatch.rollback(applied.fromGeneration(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the rollback completes");
        }
    }
}
