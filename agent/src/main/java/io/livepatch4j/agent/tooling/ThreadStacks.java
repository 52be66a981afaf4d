package io.livepatch4j.agent.tooling;

import java.util.Map;
import java.util.Set;

/**
 * Reads another thread's stack without stopping the world, to find threads that hold a frame of a
 * changed method that no dispatch saw (they entered it before the transition began): the check Linux
 * livepatch makes of every task's stack, per patched function. JDK 19+: {@code Thread.getStackTrace()},
 * a handshake with that thread. JDK 17: JVMTI {@code GetStackTrace} through a small JNI library, also a
 * handshake ({@code Thread.getStackTrace} is a global safepoint there). Without either, no check is
 * made and docs/agent.md says what that leaves open.
 */
interface ThreadStacks {

    /**
     * Whether the thread's stack holds a frame of a changed method: {@code changed} maps each class to
     * the keys ({@code name + descriptor}) of its changed methods. False if the thread has ended.
     */
    boolean hasFrameOf(Thread thread, Map<Class<?>, Set<String>> changed);

    /** How stacks are read, for the log and status. */
    String mechanism();

    static ThreadStacks best() {
        if (Runtime.version().feature() >= 19) {
            return new HandshakeStacks();
        }
        ThreadStacks jvmti = JvmtiStacks.load();
        return jvmti != null ? jvmti : new NoStacks();
    }

    /**
     * JDK 19+: Thread.getStackTrace of another thread is a handshake with it. A stack trace element
     * names the method but not its descriptor, so an overload of a changed method counts as changed:
     * the check errs on the side of waiting.
     */
    final class HandshakeStacks implements ThreadStacks {
        @Override
        public boolean hasFrameOf(Thread thread, Map<Class<?>, Set<String>> changed) {
            StackTraceElement[] frames = thread.getStackTrace();
            for (StackTraceElement f : frames) {
                for (Map.Entry<Class<?>, Set<String>> e : changed.entrySet()) {
                    Class<?> c = e.getKey();
                    if (c.getName().equals(f.getClassName()) && sameLoader(c, f) && hasName(e.getValue(), f.getMethodName())) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static boolean hasName(Set<String> keys, String name) {
            for (String k : keys) {
                if (k.length() > name.length() && k.startsWith(name) && k.charAt(name.length()) == '(') {
                    return true;
                }
            }
            return false;
        }

        private static boolean sameLoader(Class<?> c, StackTraceElement f) {
            ClassLoader l = c.getClassLoader();
            String name = l == null ? null : l.getName();
            return f.getClassLoaderName() == null || name == null || name.equals(f.getClassLoaderName());
        }

        @Override
        public String mechanism() {
            return "Thread.getStackTrace (handshake)";
        }
    }

    /** Neither mechanism is available: threads outside every unit of work are not checked. */
    final class NoStacks implements ThreadStacks {
        @Override
        public boolean hasFrameOf(Thread thread, Map<Class<?>, Set<String>> changed) {
            return false;
        }

        @Override
        public String mechanism() {
            return "none (threads outside units of work are not checked)";
        }
    }
}
