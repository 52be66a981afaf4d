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
     * Whether the stack holds a frame of a tracked class below the one being entered now. The first
     * such frame from the top is the method whose prologue is dispatching this call; any other was
     * entered before tracking began, because a tracked entry would have put the thread in a unit.
     */
    static boolean untrackedFrameBelow(Set<Class<?>> tracked) {
        if (tracked.isEmpty()) {
            return false;
        }
        return WALKER.walk(frames -> frames.filter(f -> tracked.contains(f.getDeclaringClass())).limit(2).count() > 1);
    }
}
