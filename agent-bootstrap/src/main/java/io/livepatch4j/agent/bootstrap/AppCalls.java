package io.livepatch4j.agent.bootstrap;

import java.util.List;

/**
 * The general rule for servers the agent does not know: an <em>application call</em>, a call from
 * server code into application code, is one unit of work. Application code is the classes of the
 * application's packages (the {@code packages} option, and always the packages of the classes in
 * transition); server code is any other class that is not the JDK's or livepatch4j's own. On a
 * thread-per-request server a request is such a call: the server's worker calls the handler, and the
 * thread is back in server code, waiting for work, when the request is done.
 *
 * <p>The agent sees where an application call begins only when its thread reaches a class in
 * transition, so the rule works by looking at stacks while a transition runs, and only then:
 * <ul>
 *   <li>A thread that begins a unit of work inside an application call (the call is the outermost
 *   frame of application code on its stack and server code lies below it) records the call
 *   ({@link AppCall}: the call's frame, by its depth and method, and the generation it runs). Its
 *   next units inside the same call run that generation; a unit in another call (the frame changed)
 *   starts afresh.</li>
 *   <li>A call that began before the transition may have run the older code already, untracked: the
 *   tooling looks at every thread's stack once the classes are tracked, and a thread found inside an
 *   application call is an <em>app walker</em>; its first unit inside a call runs the generation
 *   before the transition. A thread stops being one when it is seen holding no application call (it
 *   went back to waiting for work), or when it begins a unit with no application call around it.</li>
 *   <li>The transition waits for app walkers and for recorded calls of older code, and the tooling
 *   forgets a recorded call when it sees the thread outside every application call.</li>
 * </ul>
 * Where it ends: a call that never returns (a loop in application code that server code started)
 * holds its thread in the older generation, as a straggler, until it calls {@code Quiescence.point()};
 * application code that the thread's own entry runs with no server code below it (a {@code main}, a
 * thread the application started) is no application call, and gets per-call-stack consistency; work a
 * call hands to other threads carries nothing unless a known unit encloses it.
 *
 * <p>Concurrency: a thread's record is written by that thread and cleared by the tooling, each with a
 * compare-and-set on {@link ThreadState#appCall}: a thread that goes on in a call claims the record
 * anew (a new object), so the tooling's clear, based on a look at the stack taken before, fails if
 * the thread did anything in between; the tooling looks again later. App walkers only ever leave the
 * set; a thread that reads a stale membership decides for the older generation, which is safe.
 */
public final class AppCalls {

    /** livepatch4j's own packages: the agent, its shaded libraries, the patch model, the Quiescence API. */
    private static final List<String> OWN = List.of("io/livepatch4j/agent/", "io/livepatch4j/shaded/",
        "io/livepatch4j/patch/", "io/livepatch4j/quiescence/");

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** The packages option, as internal-name prefixes ("com/acme/"). */
    private static volatile List<String> configured = List.of();
    /** Application code while a transition runs: the configured packages and those of the classes in transition. */
    private static volatile List<String> prefixes = List.of();

    /** {@link #decide}'s answer for a call that must wait at the global barrier before it records anything. */
    static final Generation AWAIT_BARRIER = new Generation(-2, "await the global barrier", new ClassVersion[0]);

    private AppCalls() {}

    /** The agent's packages option, as internal-name prefixes. Tooling only, when the agent starts. */
    public static void configure(List<String> internalPrefixes) {
        configured = List.copyOf(internalPrefixes);
    }

    /**
     * Application code for the transition that is about to track {@code classes}: the configured
     * packages and the package (with its subpackages) of each class in transition, so that the rule
     * holds in attach mode too, where no packages are configured. Tooling only, before it tracks.
     */
    public static void forTransition(java.util.Collection<Class<?>> classes) {
        java.util.Set<String> all = new java.util.LinkedHashSet<>(configured);
        for (Class<?> c : classes) {
            String name = c.getName().replace('.', '/');
            int slash = name.lastIndexOf('/');
            if (slash > 0 && !own(name)) {
                all.add(name.substring(0, slash + 1));
            }
        }
        prefixes = List.copyOf(all);
    }

    public static List<String> prefixes() {
        return prefixes;
    }

    /** Where a frame's class belongs, for the rule. */
    public enum Code { APPLICATION, SERVER, INFRASTRUCTURE }

    /** Classifies a class by its name and whether it is the JDK's (its boot or platform loader defined it, or it is in a java.* or jdk.* module). */
    public static Code classify(String internalOrBinaryName, boolean jdkLoader) {
        return classify(internalOrBinaryName, jdkLoader, prefixes);
    }

    private static Code classify(String internalOrBinaryName, boolean jdkLoader, List<String> with) {
        String name = internalOrBinaryName.replace('.', '/');
        if (jdkLoader || own(name)) {
            return Code.INFRASTRUCTURE;
        }
        for (String p : with) {
            if (name.startsWith(p)) {
                return Code.APPLICATION;
            }
        }
        return Code.SERVER;
    }

    private static boolean own(String internalName) {
        for (String own : OWN) {
            if (internalName.startsWith(own)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where a frame's class belongs, kept per class for the prefixes it was worked out with: a unit
     * that begins during a transition walks its whole stack, and the name checks would otherwise run
     * for every frame of every such walk. The answer is replaced in place when the prefixes change
     * (the next transition); never with {@code ClassValue.remove}, which invalidates the cached
     * entries of every class. Concurrency: racing threads compute the same answer and the last write
     * wins; a stale read only recomputes.
     */
    private static final ClassValue<Classified> CLASSIFIED = new ClassValue<>() {
        @Override
        protected Classified computeValue(Class<?> c) {
            return new Classified();
        }
    };

    private static final class Classified {
        volatile Answer answer;
    }

    private record Answer(List<String> prefixes, Code code) {
    }

    private static Code classify(Class<?> c) {
        List<String> now = prefixes;
        Classified known = CLASSIFIED.get(c);
        Answer a = known.answer;
        if (a == null || a.prefixes() != now) {
            ClassLoader l = c.getClassLoader();
            a = new Answer(now, classify(c.getName(), l == null || l == ClassLoader.getPlatformClassLoader(), now));
            known.answer = a;
        }
        return a.code();
    }

    /**
     * The key of the application call that encloses the calling thread's current frame, or null if
     * none does: the outermost frame of application code, when server code lies below it. With
     * {@code ownFrame}, the topmost frame of application code is the unit's own (the method whose call
     * begins an implicit unit) and does not count as enclosing it.
     */
    static String enclosingCall(boolean ownFrame) {
        if (prefixes.isEmpty()) {
            return null;
        }
        return WALKER.walk(frames -> {
            int i = 0;
            int topmostApp = -1;
            int outermostApp = -1;
            boolean serverBelow = false;
            StackWalker.StackFrame outermost = null;
            for (java.util.Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); i++) {
                StackWalker.StackFrame f = it.next();
                switch (classify(f.getDeclaringClass())) {
                    case APPLICATION -> {
                        if (topmostApp < 0) {
                            topmostApp = i;
                        }
                        outermostApp = i;
                        outermost = f;
                        serverBelow = false;
                    }
                    case SERVER -> serverBelow = true;
                    default -> { }
                }
            }
            if (outermost == null || !serverBelow || (ownFrame && outermostApp == topmostApp)) {
                return null;
            }
            return (i - 1 - outermostApp) + ":" + outermost.getClassName() + "." + outermost.getMethodName()
                + outermost.getDescriptor();
        });
    }

    /**
     * The generation a unit that begins inside the application call {@code key} runs, and the call
     * recorded for the thread (see the class comment). Returns null if the record changed under us
     * (the tooling cleared it): decide again.
     *
     * @param since   the generation that code ran before the transition (null once it stops offering it)
     * @param current the generation units that start now run
     */
    static Generation decide(ThreadState t, String key, Generation since, Generation current) {
        Object chain = Generations.chain();
        AppCall seen = t.appCall;
        Generation g;
        if (seen != null && seen.chain() == chain && seen.key().equals(key)) {
            g = seen.generation(); // the same call, as far as its frame tells: it goes on in its generation
        } else if (since != null && Generations.mayBeAppWalker(t.thread)
                   && !(seen != null && seen.chain() == chain && seen.sinceTracking() == Generations.trackingEpoch())) {
            g = since; // the call may have begun before the transition, and run the older code untracked
        } else if (Generations.barrierRaised()) {
            return AWAIT_BARRIER; // a call that begins now, on new ground, under the global barrier
        } else {
            // No record of this chain, or one of a call that ended after tracking began: this call
            // began later, and ran nothing of the classes in transition untracked.
            g = current;
        }
        AppCall next = new AppCall(key, g, chain, Generations.trackingEpoch());
        return t.casAppCall(seen, next) ? g : null;
    }

    /** The thread begins a unit with no application call around it: its record, and its walker membership, end. */
    static void outside(ThreadState t) {
        AppCall seen = t.appCall;
        if (seen != null) {
            t.casAppCall(seen, null);
        }
        Generations.appWalked(t.thread);
    }

    /**
     * Whether a look at a stack (its frames' classes, top first) finds an application call. For the
     * tooling, which reads other threads' stacks.
     */
    public static boolean inCall(List<Code> framesTopFirst) {
        boolean serverBelow = false;
        boolean app = false;
        for (Code c : framesTopFirst) {
            if (c == Code.APPLICATION) {
                app = true;
                serverBelow = false;
            } else if (c == Code.SERVER) {
                serverBelow = true;
            }
        }
        return app && serverBelow;
    }
}
