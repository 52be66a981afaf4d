package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.agent.bootstrap.DispatchSite;
import io.livepatch4j.agent.bootstrap.Generation;
import io.livepatch4j.agent.bootstrap.Generations;
import io.livepatch4j.agent.bootstrap.PatchableClass;
import io.livepatch4j.agent.bootstrap.UnitKind;
import io.livepatch4j.agent.bootstrap.Units;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.Sha256;
import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.rewrite.PatchShape;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drives the real {@link Lifecycle} the way {@link Patcher} does, without Instrumentation and without
 * the agent: one host class ({@link ControlPlaneSubject}) whose versions are made here from its own
 * bytes, installed with the real {@link ImplClasses#install} (hidden nestmates, real dispatch sites),
 * and started with the real {@link Lifecycle#start}. The monitor thread is off
 * ({@link Lifecycle#monitorThreads}); {@link #complete} is what it does.
 *
 * <p>Apply mirrors the under-lock steps of {@link Patcher#apply} (its checks need a patch jar and
 * Instrumentation). Rollback is the real {@link Patcher#rollback} when the driver was made with
 * {@link #withPatcher()}, else a step-for-step mirror of it (a Patcher reads thread stacks through a
 * JNI library it loads from a fresh temporary file each time it is made, which a model checker that
 * makes a new instance per run cannot afford).
 *
 * <p>The bootstrap runtime keeps static state (the published generation, tracking, the listener,
 * the class's guard, fallback version and dispatch sites); a new driver resets it, so each driver
 * starts at G0 as a JVM does.
 */
final class LifecycleDriver {

    /** Distinct patched versions the driver cycles through; version k of {@code version()} returns k. */
    static final int VARIANTS = 3;
    static final long TIMEOUT_MILLIS = 1000;

    private static final Class<?> SUBJECT = ControlPlaneSubject.class;
    private static final String SUBJECT_INTERNAL = SUBJECT.getName().replace('.', '/');
    /** Held strongly: java.util.logging forgets the level of a logger nobody refers to. */
    private static final Logger[] QUIET = {Logger.getLogger("io.livepatch4j"), Logger.getLogger("io.livepatch4j.transition")};
    private static final byte[][] BYTES = new byte[VARIANTS + 1][];
    private static final String[] SHA = new String[VARIANTS + 1];

    static {
        // The lifecycle logs every start at INFO; thousands of runs would drown the test output.
        for (Logger l : QUIET) {
            l.setLevel(Level.WARNING);
        }
        try (InputStream in = SUBJECT.getResourceAsStream(SUBJECT.getSimpleName() + ".class")) {
            BYTES[0] = in.readAllBytes();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
        for (int k = 0; k <= VARIANTS; k++) {
            if (k > 0) {
                BYTES[k] = returning(BYTES[0], k);
            }
            SHA[k] = Sha256.hex(BYTES[k]);
        }
    }

    final Lifecycle lifecycle;
    final HostClass host;
    private final Patcher patcher;
    /** Every transition started, in order. Under the lifecycle lock. */
    final List<Transition> transitions = new ArrayList<>();
    private int patches;

    private LifecycleDriver(Patcher patcher, Lifecycle lifecycle, PreparedClasses prepared) {
        Generations.lowerBarrier();
        Generations.untrack();
        Generations.listen(null);
        Generations.publish(Generation.ZERO);
        PatchableClass.of(SUBJECT).guard(false);
        this.patcher = patcher;
        this.lifecycle = lifecycle;
        lifecycle.monitorThreads = false;
        prepared.rememberAdded(SUBJECT.getClassLoader(), SUBJECT_INTERNAL, BYTES[0], SHA[0]);
        synchronized (lifecycle.lock) {
            host = lifecycle.hostFor(SUBJECT, prepared);
        }
        // The class was registered by the first driver (once per JVM, as in production); its
        // fallback version must be this driver's original, as it is the HostClass's in production.
        try {
            Field original = PatchableClass.class.getDeclaredField("original");
            original.setAccessible(true);
            original.set(host.runtime, host.original());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** A fresh lifecycle at G0 whose rollbacks mirror Patcher's; no thread stack is ever read. */
    static LifecycleDriver withoutPatcher() {
        return new LifecycleDriver(null, new Lifecycle(NO_STACKS), new PreparedClasses(List.of()));
    }

    /** {@link #withoutPatcher()} for Lincheck's model checker, which models monitors itself ({@link Lifecycle#checkLockOwner}). */
    static LifecycleDriver forModelChecking() {
        Lifecycle lifecycle = new Lifecycle(NO_STACKS);
        lifecycle.checkLockOwner = false;
        return new LifecycleDriver(null, lifecycle, new PreparedClasses(List.of()));
    }

    /** A fresh lifecycle at G0 inside a real Patcher (made without Instrumentation); rollbacks are its own. */
    static LifecycleDriver withPatcher() {
        PreparedClasses prepared = new PreparedClasses(List.of());
        Patcher p = new Patcher(null, prepared, AgentOptions.parse(""), List.of(), "test");
        try {
            Field f = Patcher.class.getDeclaredField("lifecycle");
            f.setAccessible(true);
            return new LifecycleDriver(p, (Lifecycle) f.get(p), prepared);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    // ---- the operations ----

    /** Patcher.apply's steps under the lock, for a patch that brings the next version of the subject. */
    String applyPatch() throws PatchException {
        synchronized (lifecycle.lock) {
            Transition running = lifecycle.running();
            if (running != null) {
                return "refused: G" + running.target().number() + " running";
            }
            Generation current = Generations.current();
            int k = patches++ % VARIANTS + 1;
            if (SHA[k].equals(Lifecycle.versionIn(current, host).sha256())) {
                k = k % VARIANTS + 1; // a patch always changes the code
            }
            ClassVersion v = host.versionWithSha(SHA[k]);
            if (v == null) {
                v = host.newVersion(SHA[k], SHA[k], BYTES[k], null);
            }
            int index = host.runtime.index();
            ClassVersion[] versions = current.versions();
            if (versions.length <= index) {
                versions = java.util.Arrays.copyOf(versions, index + 1);
            }
            versions[index] = v;
            Generation target = new Generation(current.number() + 1, "p" + k, versions);
            Set<HostClass> classes = Set.of(host);
            installAll(classes, target);
            lifecycle.start(target, Strategy.LOCAL, classes, "p" + k, "patch p" + k, TIMEOUT_MILLIS);
            transitions.add(lifecycle.transition());
            return "G" + target.number() + " = p" + k;
        }
    }

    /** Undo the last change ({@code lp4j rollback}): the real Patcher's, or the mirror of its steps. */
    String rollback() throws PatchException {
        synchronized (lifecycle.lock) {
            try {
                ApplyResult r = patcher != null ? patcher.rollback(-1, Strategy.LOCAL) : mirroredRollback();
                transitions.add(lifecycle.transition());
                return "G" + r.generation() + " back from G" + r.fromGeneration();
            } catch (PatchException e) {
                return "refused";
            }
        }
    }

    /**
     * What the monitor thread of the transition to {@code g} does: it holds its transition (read
     * without the lock) and asks the lifecycle to complete it; a transition that a rollback
     * superseded meanwhile is left alone. True once it is complete.
     */
    boolean complete(Transition t) {
        return t != null && lifecycle.tryComplete(t);
    }

    /** The monitor of the newest transition: {@code lifecycle.tryComplete(lifecycle.transition())}. */
    boolean completeNewest() {
        return complete(lifecycle.transition());
    }

    /** The transition to generation {@code n}, if one was started (the one whose monitor holds it). */
    Transition transitionTo(long n) {
        synchronized (lifecycle.lock) {
            for (Transition t : transitions) {
                if (t.target().number() == n) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * What status shows (StatusReport reads the lifecycle's published view): the current generation,
     * the history's states and the transition with its state.
     */
    String status() {
        Lifecycle.View v = lifecycle.view();
        StringJoiner history = new StringJoiner(" ", "[", "]");
        for (Lifecycle.GenerationView g : v.generations()) {
            history.add("G" + g.record().generation.number() + ":" + g.state());
        }
        Transition t = v.transition();
        return "G" + v.current().number() + " " + history
            + (t == null ? "" : " ->G" + t.target().number() + ":" + v.transitionState());
    }

    // ---- the invariants ----

    /**
     * Checks, under the lock (no change is half done), what must hold between any two operations;
     * returns the violations, empty if none.
     */
    List<String> violations() {
        synchronized (lifecycle.lock) {
            List<String> bad = new ArrayList<>();
            GenerationRecord newest = checkPublished(bad);
            checkRunning(bad);
            checkInstalled(bad);
            checkDispatch(bad);
            checkHistory(bad, newest);
            return bad;
        }
    }

    // Each check is a method of its own: Lincheck's instrumentation gives up on a method with too
    // many paths, and a class it cannot instrument runs outside its model (its locks unseen).

    /** The current generation published equals the newest non-aborted generation in the history. */
    private GenerationRecord checkPublished(List<String> bad) {
        Generation current = Generations.current();
        GenerationRecord newest = null;
        for (GenerationRecord r : lifecycle.history().all()) {
            if (r.state != GenerationRecord.State.ABORTED
                && (newest == null || r.generation.number() > newest.generation.number())) {
                newest = r;
            }
        }
        if (newest == null || newest.generation != current) {
            bad.add("published G" + current.number() + " but the newest generation in the history is "
                + (newest == null ? "none" : "G" + newest.generation.number()));
        }
        return newest;
    }

    /** At most one transition runs, and it is the lifecycle's. */
    private void checkRunning(List<String> bad) {
        int running = 0;
        for (Transition t : transitions) {
            if (t.state() == Transition.State.RUNNING) {
                running++;
                if (t != lifecycle.transition()) {
                    bad.add("the transition to G" + t.target().number() + " runs but is not the lifecycle's");
                }
            }
        }
        if (running > 1) {
            bad.add(running + " transitions RUNNING");
        }
    }

    /** Every version of every live generation is installed; the current generation is live. */
    private void checkInstalled(List<String> bad) {
        // Before the first transition the subject runs its own bodies and no version is needed.
        List<Generation> live = transitions.isEmpty() ? List.of() : lifecycle.live();
        for (Generation g : live) {
            ClassVersion v = Lifecycle.versionIn(g, host);
            if (!v.installed()) {
                bad.add("version " + v.number() + " (returns " + returns(v) + ") of live G" + g.number() + " was released");
            }
        }
        Generation current = Generations.current();
        if (!lifecycle.live().contains(current)) {
            bad.add("the current G" + current.number() + " is not live");
        }
    }

    /** A unit pinned to the current generation runs its version. */
    private void checkDispatch(List<String> bad) {
        Generation current = Generations.current();
        int expected = returns(Lifecycle.versionIn(current, host));
        String ran = runAsDispatchWould();
        if (!ran.equals(String.valueOf(expected))) {
            bad.add("a unit pinned to G" + current.number() + " would run " + ran + ", not version " + expected);
        }
    }

    /** The newest generation is TRANSITION while its transition runs, CURRENT otherwise. */
    private void checkHistory(List<String> bad, GenerationRecord newest) {
        Transition t = lifecycle.transition();
        GenerationRecord.State want = t != null && t.state() == Transition.State.RUNNING
            ? GenerationRecord.State.TRANSITION : GenerationRecord.State.CURRENT;
        if (newest != null && newest.state != want) {
            bad.add("G" + newest.generation.number() + " is " + newest.state + " in the history, expected " + want);
        }
    }

    void assertInvariants(String after) {
        List<String> bad = violations();
        if (!bad.isEmpty()) {
            throw new IllegalStateException("after " + after + ": " + String.join("; ", bad) + " | " + status());
        }
    }

    /**
     * Under the lock: the code a unit pinned to the current generation runs in the subject, as the
     * prologue finds it. Guard off: the class's own body. Direct: the site's target, the version the
     * completed transition left there. Selecting: what the site's selection does for a thread pinned
     * to the current generation ({@code DispatchSite.select}: that version's method at the site's
     * slot, a failure if the version was released), taken without entering a unit, so that the
     * model checker never sees the bootstrap's thread registry.
     */
    private String runAsDispatchWould() {
        if (!host.runtime.patched()) {
            return String.valueOf(ControlPlaneSubject.version());
        }
        DispatchSite site = host.runtime.existingSite("version", "()I", true);
        if (site == null) {
            return "nothing (no dispatch site)";
        }
        try {
            if (site.mode() == DispatchSite.Mode.SELECTING) {
                ClassVersion v = Lifecycle.versionIn(Generations.current(), host);
                MethodHandle[] impls = (MethodHandle[]) IMPLS.get(v);
                if (impls == null) {
                    return "a failure (version " + v.number() + " was released)";
                }
                return String.valueOf((int) impls[site.slot()].invokeExact());
            }
            return String.valueOf((int) site.callSite().getTarget().invokeExact());
        } catch (Throwable e) {
            return "a failure (" + e + ")";
        }
    }

    /** ClassVersion's handles (package-private to the bootstrap runtime). */
    private static final Field IMPLS;

    static {
        try {
            IMPLS = ClassVersion.class.getDeclaredField("impls");
            IMPLS.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Runs the subject's {@code version()} the way a request would: inside a unit of work, through
     * the class's guard and dispatch site. Not under the lock; for tests that are not model-checked.
     */
    int runInUnit() throws Throwable {
        Units.enter(UnitKind.QUIESCENCE_API);
        try {
            if (!host.runtime.patched()) {
                return ControlPlaneSubject.version();
            }
            DispatchSite site = host.runtime.existingSite("version", "()I", true);
            return (int) site.callSite().dynamicInvoker().invokeExact();
        } finally {
            Units.exit();
        }
    }

    /** What {@code version()} of this version returns. */
    static int returns(ClassVersion v) {
        for (int k = 0; k <= VARIANTS; k++) {
            if (SHA[k].equals(v.sha256())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown version " + v.sha256());
    }

    // ---- Patcher's steps, mirrored ----

    /** Patcher.rollback(-1, LOCAL) after its first line, step for step. */
    private ApplyResult mirroredRollback() throws PatchException {
        Generation current = Generations.current();
        long to = previous(current);
        GenerationRecord record = lifecycle.history().get(to);
        if (record == null) {
            throw new PatchException("no G" + to);
        }
        if (current.number() == to) {
            throw new PatchException("already G" + to);
        }
        Generation back = new Generation(current.number() + 1, "rollback to G" + to, record.generation.versions());
        Set<HostClass> classes = new LinkedHashSet<>();
        for (HostClass h : lifecycle.hosts().values()) {
            if (Lifecycle.versionIn(current, h) != Lifecycle.versionIn(back, h)) {
                classes.add(h);
            }
        }
        Transition running = lifecycle.running();
        if (running != null) {
            classes.addAll(running.classes());
        }
        if (classes.isEmpty() && running == null) {
            throw new PatchException("same code");
        }
        installAll(classes, back);
        return lifecycle.start(back, Strategy.LOCAL, classes, null, "rollback to G" + to, TIMEOUT_MILLIS);
    }

    private long previous(Generation current) throws PatchException {
        Transition running = lifecycle.running();
        if (running != null) {
            return running.source().number();
        }
        GenerationRecord best = null;
        for (GenerationRecord r : lifecycle.history().all()) {
            if (r.generation.number() < current.number() && r.state != GenerationRecord.State.ABORTED
                && (best == null || r.generation.number() > best.generation.number())) {
                best = r;
            }
        }
        if (best == null) {
            throw new PatchException("nothing to roll back");
        }
        return best.generation.number();
    }

    /** Patcher.installAll: the target's version, every live generation's, and the original. */
    private void installAll(Set<HostClass> classes, Generation target) throws PatchException {
        List<ClassVersion> installedNow = new ArrayList<>();
        try {
            for (HostClass h : classes) {
                for (ClassVersion v : lifecycle.needed(h, target)) {
                    if (!v.installed()) {
                        install(h, v, target);
                        installedNow.add(v);
                    }
                }
            }
        } catch (PatchException e) {
            installedNow.forEach(ClassVersion::release);
            throw e;
        }
    }

    /**
     * {@link ImplClasses#write} and {@link ImplClasses#install}, or, once {@link #cacheInstalls} is on and this version's bytes were
     * installed before, the same last step it ends with ({@link ClassVersion#install} of the
     * implementation class and handles it built for these bytes). The model checker uses the
     * shortcut: the bytecode work is the same for equal bytes, and instrumented it outlasts
     * Lincheck's hang timeout; the version's state changes exactly as with a fresh build.
     */
    private void install(HostClass h, ClassVersion v, Generation target) throws PatchException {
        Object[] built = cacheInstalls ? BUILT.get(v.sha256()) : null;
        if (built != null) {
            v.install((Class<?>) built[0], (MethodHandle[]) built[1]);
            return;
        }
        PatchShape context = h.context(v);
        ImplClasses.Pending p = new ImplClasses.Pending(h, v, context != null ? context : shapeOf(target));
        ImplClasses.install(p, ImplClasses.write(p));
        try {
            BUILT.putIfAbsent(v.sha256(), new Object[] {v.implClass(), IMPLS.get(v)});
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Each version's implementation class and handles, by the sha of its bytes (see {@link #install}). */
    private static final Map<String, Object[]> BUILT = new java.util.concurrent.ConcurrentHashMap<>();
    /** Whether {@link #install} may reuse an implementation built before for the same bytes. */
    static volatile boolean cacheInstalls;

    /**
     * Builds and installs every version of the subject once, so that later drivers can reuse them,
     * and runs each operation once, so that every class they use is initialized before a model
     * checker runs them (a class initializer run under it is run once, in one interleaving only).
     */
    static void warmUp() throws PatchException {
        LifecycleDriver d = withoutPatcher();
        synchronized (d.lifecycle.lock) {
            for (int k = 0; k <= VARIANTS; k++) {
                ClassVersion v = k == 0 ? d.host.original() : d.host.newVersion(SHA[k], SHA[k], BYTES[k], null);
                d.install(d.host, v, Generations.current());
            }
        }
        d = withoutPatcher();
        d.applyPatch();
        d.status();
        d.completeNewest();
        d.applyPatch();
        d.rollback();
        d.complete(d.transitionTo(1));
        d.completeNewest();
        d.rollback();
        d.assertInvariants("the warm-up");
    }

    private PatchShape shapeOf(Generation g) {
        Map<String, PatchShape.Entry> entries = new HashMap<>();
        for (HostClass h : lifecycle.hosts().values()) {
            entries.put(h.type.getName().replace('.', '/'),
                new PatchShape.Entry(h.loadedShape, ClassShape.of(Lifecycle.versionIn(g, h).bytes())));
        }
        return new PatchShape(entries, Map.of());
    }

    // ---- the subject's versions ----

    /** The subject's bytes with {@code version()} returning {@code k}. */
    private static byte[] returning(byte[] original, int k) {
        ClassReader r = new ClassReader(original);
        ClassWriter w = new ClassWriter(0);
        r.accept(new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, desc, sig, exceptions);
                if (!"version".equals(name)) {
                    return mv;
                }
                return new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitInsn(int opcode) {
                        if (opcode == Opcodes.ICONST_0) {
                            super.visitIntInsn(Opcodes.BIPUSH, k);
                        } else {
                            super.visitInsn(opcode);
                        }
                    }
                };
            }
        }, 0);
        return w.toByteArray();
    }

    private static final ThreadStacks NO_STACKS = new ThreadStacks() {
        @Override
        public boolean hasFrameOf(Thread thread, Map<Class<?>, Set<String>> changed) {
            return false; // no thread ever runs the subject outside a unit of work in these tests
        }

        @Override
        public boolean inApplicationCall(Thread thread) {
            return false;
        }

        @Override
        public String mechanism() {
            return "none (test)";
        }
    };
}
