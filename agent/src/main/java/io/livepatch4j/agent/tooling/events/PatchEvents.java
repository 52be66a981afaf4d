package io.livepatch4j.agent.tooling.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR events, so a recording shows when patches took effect next to GC, safepoints and latency. An
 * apply and a transition are events with a duration (JMC draws them as spans); the others are
 * instants. Categories: livepatch4j / Apply, Transition, Generation. No event records the agent's own
 * stack unless a recording asks for it (the event's {@code stackTrace} setting, docs/agent.md).
 */
public final class PatchEvents {

    private PatchEvents() {}

    static final String ROOT = "livepatch4j";

    @Name("io.livepatch4j.Apply")
    @Label("Apply")
    @Category({ROOT, "Apply"})
    @Description("A patch or rollback, from the call until its new generation is published and its transition "
        + "has started (the global strategy: until the transition completed)")
    @StackTrace(false)
    public static final class Apply extends Event {
        @Label("Patch") @Description("The patch's id; empty for a rollback")
        public String patchId;
        @Label("Change") @Description("What was applied: \"patch ID\" or \"rollback to Gn\"")
        public String change;
        @Label("Generation") @Description("The generation the apply created")
        public long generation;
        @Label("From Generation") @Description("The generation that was current before the apply")
        public long fromGeneration;
        @Label("Strategy") @Description("local, global or redefine")
        public String strategy;
        @Label("Classes") @Description("How many classes the new generation changes")
        public int classes;
        @Label("Includes") @Description("The ids of the patches the new generation includes, oldest first, comma-separated")
        public String includes;
    }

    @Name("io.livepatch4j.PatchRefused")
    @Label("Patch Refused")
    @Category({ROOT, "Apply"})
    @Description("A patch or rollback was refused and changed nothing; the duration is the time until it was refused")
    @StackTrace(false)
    public static final class PatchRefused extends Event {
        @Label("Change") @Description("What was refused: \"patch ID\", \"patch from FILE\" or \"rollback to Gn\"")
        public String change;
        @Label("Strategy") @Description("local, global or redefine")
        public String strategy;
        @Label("Current Generation") @Description("The generation that stays current")
        public long currentGeneration;
        @Label("Reason") @Description("Why it was refused, as lp4j and the MXBean report it")
        public String reason;
    }

    @Name("io.livepatch4j.Transition")
    @Label("Transition")
    @Category({ROOT, "Transition"})
    @Description("A transition, from its start until no thread is inside a unit of work of an older generation "
        + "(complete), a rollback took it over (superseded), or the global strategy gave up (aborted)")
    @StackTrace(false)
    public static final class Transition extends Event {
        @Label("From Generation") @Description("The generation threads move from")
        public long fromGeneration;
        @Label("Generation") @Description("The generation threads move to")
        public long generation;
        @Label("Strategy") @Description("local, global or redefine")
        public String strategy;
        @Label("Outcome") @Description("complete, superseded or aborted")
        public String outcome;
        @Label("Threads To Move") @Description("Threads inside units of work of older code when the transition began")
        public int threadsToMove;
        @Label("Threads Moved") @Description("Threads that left a unit of work of older code during the transition")
        public int threadsMoved;
    }

    @Name("io.livepatch4j.ThreadMoved")
    @Label("Thread Moved")
    @Category({ROOT, "Transition"})
    @Description("A thread passed a quiescence point and left an older generation")
    @StackTrace(false)
    public static final class ThreadMoved extends Event {
        @Label("Moved Thread") @Description("The thread that moved")
        public Thread movedThread;
        @Label("From Generation") @Description("The generation of the unit of work it left")
        public long fromGeneration;
        @Label("To Generation") @Description("The generation of the transition's target")
        public long toGeneration;
    }

    @Name("io.livepatch4j.Straggler")
    @Label("Straggler")
    @Category({ROOT, "Transition"})
    @Description("A thread (or work carried from a unit) stayed in a unit of work of an older generation longer "
        + "than the agent's stragglerMillis; once per thread and transition")
    @StackTrace(false)
    public static final class Straggler extends Event {
        @Label("Straggler Thread") @Description("The thread; none for a unit that only carried work holds open")
        public Thread stragglerThread;
        @Label("Thread Name") @Description("The thread's name, or what holds the unit open")
        public String threadName;
        @Label("Thread Id") @Description("The thread's id; -1 for a unit that only carried work holds open")
        public long threadId;
        @Label("Unit Kind") @Description("The kind of unit of work, as status gives it (\"executor task\", \"Jetty request\"...)")
        public String unitKind;
        @Label("Held Generation") @Description("The older generation the thread still runs")
        public long heldGeneration;
        @Label("Target Generation") @Description("The generation the transition moves threads to")
        public long generation;
        @Label("Held For") @Description("How long it had been in its unit (or, held by an old frame or an application "
            + "call, since the transition began) when this was recorded")
        @Timespan(Timespan.MILLISECONDS)
        public long heldMillis;
    }

    @Name("io.livepatch4j.GenerationRetired")
    @Label("Generation Retired")
    @Category({ROOT, "Generation"})
    @Description("An older generation's code became unreachable")
    @StackTrace(false)
    public static final class GenerationRetired extends Event {
        @Label("Generation") @Description("The retired generation")
        public long generation;
        @Label("Label") @Description("\"G0\", \"patch ID\" or \"rollback to Gn\"")
        public String label;
    }
}
