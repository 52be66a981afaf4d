package io.livepatch4j.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;

/**
 * The call site through which one method of a patched class runs: the host method's prologue and
 * every call from patched code to a method a patch added link to it. Its target is one of:
 * <ul>
 *   <li>unpatched: never called, because the class's guard is false;</li>
 *   <li>selecting (during a transition): the version of the calling thread's generation;</li>
 *   <li>direct (after the transition completed): the live version's method, which the JIT inlines
 *       like any constant call, so calls no longer check the thread's generation.</li>
 * </ul>
 */
public final class DispatchSite {

    private static final MethodHandle SELECT;
    private static final MethodHandle ENTER_IMPLICIT;
    private static final MethodHandle EXIT_IMPLICIT;

    private static final MethodHandle SELECT_OR_CREATOR;
    private static final MethodHandle IN_GENERATION;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SELECT = l.findStatic(DispatchSite.class, "select", MethodType.methodType(MethodHandle.class, DispatchSite.class));
            IN_GENERATION = l.findStatic(DispatchSite.class, "inGeneration",
                MethodType.methodType(boolean.class, Generation.class));
            SELECT_OR_CREATOR = l.findStatic(DispatchSite.class, "selectOrCreator",
                MethodType.methodType(MethodHandle.class, DispatchSite.class, MethodHandle.class));
            ENTER_IMPLICIT = l.findStatic(Units.class, "enterImplicit", MethodType.methodType(void.class));
            EXIT_IMPLICIT = l.findStatic(Units.class, "exitImplicit", MethodType.methodType(void.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final PatchableClass owner;
    final String name;
    final String descriptor;
    final boolean isStatic;
    final int slot;
    final MethodType type;
    final MutableCallSite callSite;
    private final MethodHandle selecting;
    /**
     * {@code selecting} as a unit of work of its own, for a call from outside every unit: built at its
     * first such call (most sites never get one, and building it for each site of a big patch was a
     * quarter of a first apply's installing). Racing threads may each build one; any of them serves.
     */
    private volatile MethodHandle implicitUnit;
    private volatile Mode mode = Mode.UNPATCHED;
    /** The version the direct target calls; null unless DIRECT. */
    private ClassVersion directVersion;
    /**
     * For a lambda whose body a patch added: the same three targets with the body of the version
     * that created the lambda object as first argument, which runs where the version selected has
     * no body for it. Made when the lambda's bridge first links; guarded by this.
     */
    private MutableCallSite withCreator;
    private MethodHandle selectingWithCreator;

    /** Which of the three targets the site has. */
    public enum Mode { UNPATCHED, SELECTING, DIRECT }

    DispatchSite(PatchableClass owner, String name, String descriptor, boolean isStatic, int slot, MethodType type) {
        this.owner = owner;
        this.name = name;
        this.descriptor = descriptor;
        this.isStatic = isStatic;
        this.slot = slot;
        this.type = type;
        this.callSite = new MutableCallSite(type);
        this.selecting = MethodHandles.foldArguments(MethodHandles.exactInvoker(type), SELECT.bindTo(this));
        callSite.setTarget(unpatchedTarget());
    }

    public String name() {
        return name;
    }

    public String descriptor() {
        return descriptor;
    }

    public boolean isStatic() {
        return isStatic;
    }

    public int slot() {
        return slot;
    }

    public MethodType type() {
        return type;
    }

    public MutableCallSite callSite() {
        return callSite;
    }

    /**
     * During a transition to {@code target}: pick the version of the calling thread's generation.
     * A thread in {@code target} (every unit that began since it was published) takes a constant
     * path to the target's method, which the JIT inlines behind one check of the thread's generation;
     * the others select as before. The target's versions are installed before the transition starts
     * and released only after it ended, when this target is replaced.
     *
     * @param tests the test "the calling thread runs {@code target}" per site type: the sites of one
     *              transition share it, and it is filled here; used by one thread at a time
     */
    public synchronized void select(Generation target, java.util.Map<MethodType, MethodHandle> tests) {
        ClassVersion v = owner.index() < 0 ? null : target.version(owner.index());
        ClassVersion to = v == null ? owner.original() : v;
        MethodHandle targets = implOrNull(to);
        callSite.setTarget(targets == null || to == null || !to.installed() ? selecting
            : MethodHandles.guardWithTest(tests.computeIfAbsent(type, t -> MethodHandles.dropArguments(
                IN_GENERATION.bindTo(target), 0, t.parameterList())), targets, selecting));
        mode = Mode.SELECTING;
        directVersion = null;
        retargetWithCreator();
    }

    /**
     * A transition ended without its target (refused before it was published): select per thread
     * without the target's constant path, which would keep the target's implementation reachable.
     */
    public synchronized void selectEveryGeneration() {
        callSite.setTarget(selecting);
        mode = Mode.SELECTING;
        directVersion = null;
        retargetWithCreator();
    }

    /**
     * After a transition: call {@code version}'s method directly. Each site is retargeted on its own
     * (compiled code that inlined it is deoptimized site by site). Where the target stayed a
     * transition-wide {@code SwitchPoint}'s guardWithTest, invalidated at completion to save those
     * deoptimizations, JDK 25's JIT compiled the guard out of line in a Guava workload, and the
     * patched code ran at about 0.7 of its speed until the next change (docs/agent.md).
     */
    public synchronized void direct(ClassVersion version) {
        callSite.setTarget(implOrFallback(version));
        mode = Mode.DIRECT;
        directVersion = version;
        retargetWithCreator();
    }

    /** The class is unpatched again; its guard keeps this target from running. */
    public synchronized void unpatched() {
        callSite.setTarget(unpatchedTarget());
        mode = Mode.UNPATCHED;
        directVersion = null;
        retargetWithCreator();
    }

    /** The call site a lambda bridge links to: {@code (creatorsBody, args...)}. */
    public synchronized MutableCallSite withCreator() {
        if (withCreator == null) {
            MethodType t = type.insertParameterTypes(0, MethodHandle.class);
            withCreator = new MutableCallSite(t);
            selectingWithCreator = MethodHandles.foldArguments(
                MethodHandles.dropArguments(MethodHandles.exactInvoker(type), 1, MethodHandle.class),
                SELECT_OR_CREATOR.bindTo(this));
            retargetWithCreator();
        }
        return withCreator;
    }

    /** The lambda bridge's site, if one linked; for syncing with the others. */
    synchronized MutableCallSite withCreatorOrNull() {
        return withCreator;
    }

    /**
     * Where the main target selects, this one selects too; where it is direct, the direct version's
     * body if it has one. Unpatched, the guard is off and every thread runs the code as loaded,
     * which has no body for a lambda a patch added: the creator's body runs.
     */
    private void retargetWithCreator() {
        if (withCreator == null) {
            return;
        }
        MethodHandle creators = MethodHandles.exactInvoker(type);
        MethodHandle body = mode == Mode.DIRECT ? implOrNull(directVersion) : null;
        withCreator.setTarget(mode == Mode.SELECTING ? selectingWithCreator
            : body != null ? MethodHandles.dropArguments(body, 0, MethodHandle.class) : creators);
    }

    /** The selecting target of {@link #withCreator}, on the calling thread. */
    private static MethodHandle selectOrCreator(DispatchSite site, MethodHandle creator) {
        Generation g = ThreadState.current().generation;
        if (g == null) {
            // Outside any unit of work during a transition, as for the main target: this call is the
            // unit. Built per call, as the creator differs per object; only threads in no unit pay it.
            return implicitUnit(MethodHandles.insertArguments(site.selectingWithCreator, 0, creator), site.type);
        }
        ClassVersion v = g.version(site.owner.index());
        MethodHandle h = site.implOrNull(v == null ? site.owner.original() : v);
        return h != null ? h : creator;
    }

    private MethodHandle implOrNull(ClassVersion v) {
        MethodHandle h = v == null ? null : v.impl(slot);
        if (h == null) {
            ClassVersion original = owner.original();
            h = original == null ? null : original.impl(slot);
        }
        return h;
    }

    /** The site's current target, for status and tests. */
    public Mode mode() {
        return mode;
    }

    /** Whether the calling thread runs a unit of work of generation {@code g}. */
    private static boolean inGeneration(Generation g) {
        return ThreadState.current().generation == g;
    }

    /**
     * The selecting target's first step, on the calling thread: the method of the version its
     * generation runs; outside any unit of work, a handle that first makes this call the unit.
     */
    private static MethodHandle select(DispatchSite site) {
        Generation g = ThreadState.current().generation;
        if (g == null) {
            MethodHandle unit = site.implicitUnit;
            if (unit == null) {
                unit = implicitUnit(site.selecting, site.type);
                site.implicitUnit = unit;
            }
            return unit;
        }
        ClassVersion v = g.version(site.owner.index());
        return site.implOrFallback(v == null ? site.owner.original() : v);
    }

    /**
     * The version's method; where the version has no such method (a private method or lambda body
     * it removed, which objects or frames of older code may still reach), the original's. A version
     * that a pinned generation refers to is never released (the tooling retires a version only once
     * no unit of work can run it), so finding one released is a defect: it fails loudly rather than
     * run other code than the generation's.
     */
    private MethodHandle implOrFallback(ClassVersion v) {
        if (v != null && !v.installed()) {
            return failure("livepatch4j: version " + v.number() + " of " + owner.host().getName()
                + " was released while a unit of work still runs it; please report this with 'lp4j status' output");
        }
        MethodHandle h = implOrNull(v);
        if (h == null) {
            return missing();
        }
        return h;
    }

    private MethodHandle missing() {
        return failure("livepatch4j: no code for " + owner.host().getName() + "." + name + descriptor
            + " in the calling thread's generation; please report this with 'lp4j status' output");
    }

    /** A target that throws IllegalStateException(message), of this site's type. */
    private MethodHandle failure(String message) {
        MethodHandle thrower = MethodHandles.throwException(type.returnType(), IllegalStateException.class);
        MethodHandle withEx = MethodHandles.foldArguments(thrower, MethodHandles.insertArguments(NEW_ISE, 0, message));
        return MethodHandles.dropArguments(withEx, 0, type.parameterList());
    }

    private static final String UNPATCHED_MESSAGE = "livepatch4j: dispatch of an unpatched method";
    private static final MethodHandle NEW_ISE;

    /**
     * Per return type, {@code () -> throw new IllegalStateException(UNPATCHED_MESSAGE)}: the unpatched
     * target of a site is this with the site's parameters dropped. A ClassValue, so it does not keep a
     * class (and its loader) that an application undeploys.
     */
    private static final ClassValue<MethodHandle> UNPATCHED_THROWER = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> returnType) {
            return MethodHandles.foldArguments(MethodHandles.throwException(returnType, IllegalStateException.class),
                MethodHandles.insertArguments(NEW_ISE, 0, UNPATCHED_MESSAGE));
        }
    };

    private MethodHandle unpatchedTarget() {
        return MethodHandles.dropArguments(UNPATCHED_THROWER.get(type.returnType()), 0, type.parameterList());
    }

    static {
        try {
            NEW_ISE = MethodHandles.lookup().findConstructor(IllegalStateException.class,
                MethodType.methodType(void.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@code selecting} wrapped as a unit of work: enter before, exit in a finally block. */
    private static MethodHandle implicitUnit(MethodHandle selecting, MethodType type) {
        MethodHandle body = MethodHandles.foldArguments(selecting, ENTER_IMPLICIT);
        Class<?> r = type.returnType();
        MethodHandle cleanup;
        if (r == void.class) {
            cleanup = MethodHandles.dropArguments(EXIT_IMPLICIT, 0, Throwable.class);
        } else {
            cleanup = MethodHandles.foldArguments(
                MethodHandles.dropArguments(MethodHandles.identity(r), 0, Throwable.class), EXIT_IMPLICIT);
        }
        cleanup = MethodHandles.dropArguments(cleanup, cleanup.type().parameterCount(), type.parameterList());
        return MethodHandles.tryFinally(body, cleanup);
    }
}
