package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.AppCalls;

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

    /**
     * Whether the thread is inside an application call: a frame of application code with server code
     * below it (see the bootstrap's AppCalls, which decides the same from the thread's own stack).
     * True where the stack cannot be read, so the transition waits rather than risk mixing code.
     */
    boolean inApplicationCall(Thread thread);

    /** How stacks are read, for the log and status. */
    String mechanism();

    /** One look at a thread's stack: both questions a transition asks when it begins. */
    record Look(boolean holdsChangedFrame, boolean inApplicationCall) {
    }

    /**
     * {@link #hasFrameOf} and {@link #inApplicationCall} at once: readers that can answer both from
     * one read of the stack do so, so a transition takes one handshake per thread, not two.
     */
    default Look look(Thread thread, Map<Class<?>, Set<String>> changed) {
        return new Look(hasFrameOf(thread, changed), inApplicationCall(thread));
    }

    /**
     * JVMTI for platform threads wherever the library loads, before JDK 24 (it reads stacks of any
     * depth and names each frame's method with its descriptor); {@code Thread.getStackTrace} for virtual threads
     * (JVMTI reads those only with a capability an agent loaded late cannot get) and where the library
     * is missing (a /tmp mounted noexec, another platform): on JDK 17 that read is a safepoint per
     * thread, slower but as sure. Threads outside units of work are always checked.
     */
    static ThreadStacks best() {
        // From JDK 24 on the agent reads stacks with Thread.getStackTrace only (a cut trace counts as
        // holding): its JNI library is still loaded there, to define the bootstrap runtime
        // (BootstrapJar), with JEP 472's "restricted method" warning (docs/agent.md), but it is not
        // used for stacks.
        ThreadStacks jvmti = Runtime.version().feature() < 24 ? JvmtiStacks.load() : null;
        boolean handshake = Runtime.version().feature() >= 19;
        if (jvmti == null) {
            return new HandshakeStacks();
        }
        return handshake ? new Split(jvmti, new HandshakeStacks()) : jvmti;
    }

    /** Platform threads through one reader, virtual threads through another. */
    record Split(ThreadStacks platform, ThreadStacks virtual) implements ThreadStacks {
        private static final java.lang.reflect.Method IS_VIRTUAL = isVirtualMethod();

        private static java.lang.reflect.Method isVirtualMethod() {
            try {
                return Thread.class.getMethod("isVirtual");
            } catch (NoSuchMethodException e) {
                return null;
            }
        }

        @Override
        public boolean hasFrameOf(Thread thread, Map<Class<?>, Set<String>> changed) {
            return isVirtual(thread) ? virtual.hasFrameOf(thread, changed) : platform.hasFrameOf(thread, changed);
        }

        @Override
        public boolean inApplicationCall(Thread thread) {
            return isVirtual(thread) ? virtual.inApplicationCall(thread) : platform.inApplicationCall(thread);
        }

        @Override
        public Look look(Thread thread, Map<Class<?>, Set<String>> changed) {
            return isVirtual(thread) ? virtual.look(thread, changed) : platform.look(thread, changed);
        }

        private static boolean isVirtual(Thread t) {
            try {
                return IS_VIRTUAL != null && (boolean) IS_VIRTUAL.invoke(t);
            } catch (ReflectiveOperationException e) {
                return false;
            }
        }

        @Override
        public String mechanism() {
            return platform.mechanism() + " for platform threads, " + virtual.mechanism() + " for virtual threads";
        }
    }

    /**
     * Thread.getStackTrace of another thread: a handshake with it on JDK 19+, a safepoint on JDK 17. A stack trace element
     * names the method but not its descriptor, so an overload of a changed method counts as changed:
     * the check errs on the side of waiting.
     */
    final class HandshakeStacks implements ThreadStacks {
        /** The JVM cuts stack traces at -XX:MaxJavaStackTraceDepth frames (1024 by default; 0: no limit). */
        private static final int MAX_DEPTH = maxDepth();

        private static int maxDepth() {
            try {
                com.sun.management.HotSpotDiagnosticMXBean hs = java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                return Integer.parseInt(hs.getVMOption("MaxJavaStackTraceDepth").getValue());
            } catch (RuntimeException | LinkageError e) {
                return 1024;
            }
        }

        @Override
        public boolean hasFrameOf(Thread thread, Map<Class<?>, Set<String>> changed) {
            return holdsChangedFrame(thread.getStackTrace(), changed);
        }

        @Override
        public boolean inApplicationCall(Thread thread) {
            return inApplicationCall(thread.getStackTrace());
        }

        @Override
        public Look look(Thread thread, Map<Class<?>, Set<String>> changed) {
            StackTraceElement[] frames = thread.getStackTrace();
            return new Look(holdsChangedFrame(frames, changed), inApplicationCall(frames));
        }

        private static boolean holdsChangedFrame(StackTraceElement[] frames, Map<Class<?>, Set<String>> changed) {
            for (StackTraceElement f : frames) {
                for (Map.Entry<Class<?>, Set<String>> e : changed.entrySet()) {
                    Class<?> c = e.getKey();
                    if (c.getName().equals(f.getClassName()) && sameLoader(c, f) && hasName(e.getValue(), f.getMethodName())) {
                        return true;
                    }
                }
            }
            // A trace cut at the limit hides the outermost frames, where an old frame may be: count it
            // as holding one, so the transition waits until the stack is shallower (or the thread walks
            // its own stack, which has no limit, when it next begins a unit).
            return MAX_DEPTH > 0 && frames.length >= MAX_DEPTH;
        }

        private static boolean inApplicationCall(StackTraceElement[] frames) {
            java.util.List<AppCalls.Code> codes = new java.util.ArrayList<>(frames.length);
            for (StackTraceElement f : frames) {
                String module = f.getModuleName();
                boolean jdk = module != null && (module.startsWith("java.") || module.startsWith("jdk."));
                codes.add(AppCalls.classify(f.getClassName(), jdk));
            }
            // A cut trace hides the outermost frames, where the call's own may be: count it as inside.
            return AppCalls.inCall(codes) || (MAX_DEPTH > 0 && frames.length >= MAX_DEPTH);
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
            return Runtime.version().feature() >= 19 ? "Thread.getStackTrace (handshake)"
                : "Thread.getStackTrace (a safepoint per read on JDK 17: the agent's JNI library did not load)";
        }
    }
}
