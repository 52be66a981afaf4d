package io.livepatch4j.agent.tooling;

import java.util.Set;

/**
 * Reads another thread's stack without stopping the world, to find threads that are inside a class
 * in transition without any unit of work (they entered it before the transition began, so no
 * dispatch saw them): the check Linux livepatch makes of every task's stack. JDK 19+:
 * {@code Thread.getStackTrace()}, a handshake with that thread. JDK 17: JVMTI {@code GetStackTrace}
 * through a small JNI library, also a handshake ({@code Thread.getStackTrace} is a global safepoint
 * there). Without either, no check is made and docs/agent.md says what that leaves open.
 */
interface ThreadStacks {

    /** Whether the thread's stack holds a frame of one of the classes; false if it has ended. */
    boolean hasFrameOf(Thread thread, Set<Class<?>> classes);

    /** How stacks are read, for the log and status. */
    String mechanism();

    static ThreadStacks best() {
        if (Runtime.version().feature() >= 19) {
            return new HandshakeStacks();
        }
        ThreadStacks jvmti = JvmtiStacks.load();
        return jvmti != null ? jvmti : new NoStacks();
    }

    /** JDK 19+: Thread.getStackTrace of another thread is a handshake with it. */
    final class HandshakeStacks implements ThreadStacks {
        @Override
        public boolean hasFrameOf(Thread thread, Set<Class<?>> classes) {
            StackTraceElement[] frames = thread.getStackTrace();
            for (StackTraceElement f : frames) {
                for (Class<?> c : classes) {
                    if (c.getName().equals(f.getClassName()) && sameLoader(c, f)) {
                        return true;
                    }
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
        public boolean hasFrameOf(Thread thread, Set<Class<?>> classes) {
            return false;
        }

        @Override
        public String mechanism() {
            return "none (threads outside units of work are not checked)";
        }
    }
}
