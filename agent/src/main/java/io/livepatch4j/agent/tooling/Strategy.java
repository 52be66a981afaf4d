package io.livepatch4j.agent.tooling;

import java.util.Locale;

/** How a patch or rollback takes effect; chosen per apply so benchmarks can compare them in one run. */
public enum Strategy {
    /** Each thread moves at its own quiescence point; nothing waits for anything (the default). */
    LOCAL,
    /** Hold every thread at its next quiescence point until all are quiescent at once, switch, release. */
    GLOBAL,
    /** {@code Instrumentation.redefineClasses}, as HotSwap tools do: immediate, and a unit of work may mix versions. */
    REDEFINE;

    public static Strategy parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown strategy '" + s + "': use local, global or redefine");
        }
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
