package io.livepatch4j.agent.bootstrap;

import java.util.Map;
import java.util.Set;

/**
 * Looks at the calling thread's own stack (no safepoint: StackWalker walks only the current thread)
 * to find frames of tracked classes that no dispatch saw.
 */
final class Stacks {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private Stacks() {}

    /**
     * Whether the stack holds a frame of a changed method of a tracked class that no dispatch saw.
     * {@code changed} maps every class in transition to the keys ({@code name + descriptor}) of its
     * methods whose code differs between the generations in play: a frame of an unchanged method
     * runs the same code in all of them and holds nothing back (Linux livepatch checks per function
     * too). Called when a unit of work begins: for an implicit unit, the first frame of a tracked
     * class from the top is the method whose prologue is dispatching this call, whatever it is, and
     * any other was entered before tracking began (a tracked entry would have put the thread in a
     * unit); a known unit (an executor task run inline, say) has no frame of its own among them.
     */
    static boolean untrackedFrameBelow(Map<Class<?>, Set<String>> changed, boolean implicit) {
        if (changed.isEmpty()) {
            return false;
        }
        return WALKER.walk(frames -> {
            boolean own = implicit;
            for (java.util.Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
                StackWalker.StackFrame f = it.next();
                Set<String> methods = changed.get(f.getDeclaringClass());
                if (methods == null) {
                    continue;
                }
                if (own) {
                    own = false;
                    continue;
                }
                if (methods.contains(f.getMethodName() + f.getDescriptor())) {
                    return true;
                }
            }
            return false;
        });
    }
}
