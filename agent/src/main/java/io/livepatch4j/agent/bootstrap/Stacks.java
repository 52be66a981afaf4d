package io.livepatch4j.agent.bootstrap;

import java.util.Set;

/**
 * Looks at the calling thread's own stack (no safepoint: StackWalker walks only the current thread)
 * to find frames of tracked classes that no dispatch saw.
 */
final class Stacks {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private Stacks() {}

    /**
     * Whether the stack holds a frame of a tracked class that no dispatch saw. Called when a unit of
     * work begins: for an implicit unit, the first tracked frame from the top is the method whose
     * prologue is dispatching this call, and any other was entered before tracking began (a tracked
     * entry would have put the thread in a unit); a known unit (an executor task run inline, say)
     * has no frame of its own among them, so any tracked frame below it is untracked.
     */
    static boolean untrackedFrameBelow(Set<Class<?>> tracked, boolean implicit) {
        if (tracked.isEmpty()) {
            return false;
        }
        int own = implicit ? 1 : 0;
        return WALKER.walk(frames -> frames.filter(f -> tracked.contains(f.getDeclaringClass()))
            .limit(own + 1).count() > own);
    }
}
