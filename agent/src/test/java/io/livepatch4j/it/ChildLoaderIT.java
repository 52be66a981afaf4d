package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.GenBuild;
import io.livepatch4j.it.support.GenChecker;
import io.livepatch4j.it.support.GenLoad;
import io.livepatch4j.it.support.GenTrace;
import io.livepatch4j.it.support.SmallPatch;
import io.livepatch4j.patch.build.PatchBuilder;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntConsumer;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A class of a prepared package loaded by a child class loader (as a web application's classes
 * are, or a plugin's) can be patched like one of the application class loader: found while
 * writing GeneratedPatchesIT, whose generated classes were first loaded by a URLClassLoader each,
 * and the agent refused every patch ("is in a package that is not open to the livepatch4j agent
 * ... does not have full privilege access").
 */
class ChildLoaderIT {

    @Test
    void classOfAChildClassLoaderCanBePatched() throws Exception {
        String name = "io.livepatch4j.it.gen.InChildLoader";
        GenBuild v1 = GenBuild.compile(Map.of(name, SmallPatch.source("InChildLoader", 1)));
        GenBuild v2 = GenBuild.compile(Map.of(name, SmallPatch.source("InChildLoader", 2)));
        PatchBuilder.Report report = GenBuild.patch("child-loader-v2", v1, v2);
        assertNotNull(report.patch(), "the builder makes the patch: " + report.refusals());
        try (URLClassLoader loader = new URLClassLoader(new URL[] {v1.classes.toUri().toURL()},
            ChildLoaderIT.class.getClassLoader());
             GenLoad units = new GenLoad(1, false)) {
            IntConsumer instance = (IntConsumer) loader.loadClass(name).getConstructor().newInstance();
            units.target(instance, "InChildLoader");
            units.published(LivePatch.currentGeneration());
            GenTrace.Unit before = units.probe();

            ApplyResult applied = LivePatch.apply(report.patch(), Strategy.LOCAL);
            units.published(applied.generation());
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes");
            GenTrace.Unit after = units.probe();

            Map<Long, Integer> versionOf = Map.of(applied.fromGeneration(), 1, applied.generation(), 2);
            GenChecker checker = new GenChecker();
            assertNull(checker.check(before, versionOf, SmallPatch::sites), "before the patch: " + before);
            assertNull(checker.check(after, versionOf, SmallPatch::sites), "after the patch: " + after);
            assertTrue(after.entries.contains("accept@v2"), "the patched code runs: " + after);
        }
    }
}
