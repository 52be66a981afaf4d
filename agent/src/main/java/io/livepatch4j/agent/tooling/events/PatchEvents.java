package io.livepatch4j.agent.tooling.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * JFR events, so a recording shows when patches took effect next to GC, safepoints and latency.
 * Category "livepatch4j" in JDK Mission Control.
 */
public final class PatchEvents {

    private PatchEvents() {}

    @Name("io.livepatch4j.PatchApplied")
    @Label("Patch Applied")
    @Category("livepatch4j")
    @Description("A patch or rollback created a new generation and its transition started")
    public static final class PatchApplied extends Event {
        @Label("Patch") public String patchId;
        @Label("Generation") public long generation;
        @Label("From Generation") public long fromGeneration;
        @Label("Strategy") public String strategy;
        @Label("Classes") public int classes;
        @Label("Includes") @Description("The ids of the patches the new generation includes, oldest first, comma-separated")
        public String includes;
    }

    @Name("io.livepatch4j.ThreadMoved")
    @Label("Thread Moved")
    @Category("livepatch4j")
    @Description("A thread passed a quiescence point and left an older generation")
    public static final class ThreadMoved extends Event {
        @Label("Moved Thread") public Thread movedThread;
        @Label("From Generation") public long fromGeneration;
        @Label("To Generation") public long toGeneration;
    }

    @Name("io.livepatch4j.TransitionComplete")
    @Label("Transition Complete")
    @Category("livepatch4j")
    @Description("No thread is inside a unit of work of an older generation any more")
    public static final class TransitionComplete extends Event {
        @Label("Generation") public long generation;
        @Label("Strategy") public String strategy;
        @Label("Transition Time") @Timespan(Timespan.NANOSECONDS) public long transitionNanos;
        @Label("Threads Moved") public int threadsMoved;
    }

    @Name("io.livepatch4j.GenerationRetired")
    @Label("Generation Retired")
    @Category("livepatch4j")
    @Description("An older generation's code became unreachable")
    public static final class GenerationRetired extends Event {
        @Label("Generation") public long generation;
        @Label("Label") public String label;
    }
}
