package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Settings;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A patch's new static initializer (issue 13): its new statements run once when the patch is
 * applied, in the new generation (calls run the new code), state the old initializer built is
 * kept, and one that throws refuses the patch leaving the JVM as it was.
 */
@ExtendWith(BackToLoadedCode.class)
class StaticInitializerIT {

    private static final String CLASS = "io.livepatch4j.it.app.Settings";

    private static String settings(String fields, String extra, String version) {
        return """
            package io.livepatch4j.it.app;

            import java.util.ArrayList;
            import java.util.List;

            public class Settings {

                static final List<String> NAMES = new ArrayList<>(List.of("a", "changed"));
            %s
                public static String names() {
                    return NAMES.toString();
                }

                public static String extra() {
                    return %s;
                }

                static String version() {
                    return "%s";
                }
            }
            """.formatted(fields, extra, version);
    }

    @Test
    void newStatementsRunOnceInTheNewGenerationAndExistingStateIsKept() throws Exception {
        assertEquals("[a]", Settings.names());
        Patch p = TestPatches.build("settings-init", Map.of(CLASS, settings("""
                static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();
                static { RUNS.incrementAndGet(); }
                static final String MADE_BY = version();
                static final int SIZE = NAMES.size();
            """, "RUNS.get() + \"/\" + MADE_BY + \"/\" + SIZE", "v2")));
        LivePatch.apply(p, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("1/v2/1", Settings.extra(), "ran once, calling the new version(), reading the kept NAMES");
        assertEquals("1/v2/1", Settings.extra());
        assertEquals("[a]", Settings.names(), "NAMES keeps the list the old initializer built");
    }

    @Test
    void anInitializerThatThrowsRefusesThePatchAndChangesNothing() throws Exception {
        long before = LivePatch.currentGeneration();
        Patch bad = TestPatches.build("settings-bad", Map.of(CLASS, settings("""
                static final int BAD = Integer.parseInt("not a number");
            """, "\"bad \" + BAD", "v2")));
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(bad, Strategy.LOCAL));
        assertTrue(e.getMessage().contains("static initializer of " + CLASS + " threw")
            && e.getMessage().contains("NumberFormatException"), e.getMessage());
        assertEquals("none", Settings.extra(), "the class runs its old code");
        assertEquals(before, LivePatch.currentGeneration(), "no generation was published");
        assertTrue(LivePatch.status().classes().stream().noneMatch(c -> c.name().equals(CLASS) && c.version() != 0
            && c.guard()), LivePatch.status().classes().toString());

        Patch good = TestPatches.build("settings-good", Map.of(CLASS, settings("""
                static final String TAG = "t" + NAMES.size();
            """, "TAG", "v2")));
        LivePatch.apply(good, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("t1", Settings.extra(), "a later patch applies as if the refused one never was");
    }

    @Test
    void theGlobalStrategyRunsTheInitializerBeforeItSwitches() throws Exception {
        Patch p = TestPatches.build("settings-global", Map.of(CLASS, settings("""
                static final String MADE_BY = version() + "-global";
            """, "MADE_BY", "v3")));
        LivePatch.apply(p, Strategy.GLOBAL);
        assertEquals("v3-global", Settings.extra());
    }
}
