package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.agent.bootstrap.Generation;
import io.livepatch4j.agent.bootstrap.Generations;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.PatchHook;
import io.livepatch4j.patch.Sha256;
import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.rewrite.PatchShape;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies patches and rollbacks, each under {@link Lifecycle#lock} from its first check to the start
 * of its transition. Every check ({@link PatchPlan}) runs before anything changes, so a refused
 * patch leaves the JVM as it was. Then, in order: prepare the classes (attach mode), create the new
 * versions and generation, define added classes, install implementation classes (the JVM verifies
 * them here), and start the transition ({@link Lifecycle#start}).
 */
final class Patcher {

    private static final System.Logger LOG = AgentLog.logger("io.livepatch4j");

    private final Instrumentation inst;
    private final PreparedClasses prepared;
    private final AgentOptions options;
    private final String mode;
    private final Lifecycle lifecycle;
    private final PatchPlan checks;
    private final RedefineStrategy redefine;
    private final NewClasses newClasses;
    /** The callbacks and transformers of each patch applied (by id, the latest apply's), for its rollback. Under the lock. */
    private final Map<String, PatchHooks> hooksByPatch = new HashMap<>();
    /** The code each patch applied carries (by id, the latest apply's), to know the same patch again. Under the lock. */
    private final Map<String, String> codeByPatch = new HashMap<>();
    /**
     * For each generation an undo can leave, the generation it returns to. An apply's undo returns to
     * the generation that was current before it; a rollback to Gk ({@code --to}) is undone as Gk
     * would be. Under the lock.
     */
    private final Map<Long, Long> undoTo = new HashMap<>();
    /**
     * The generations an undo made ("lp4j rollback" without --to). An undo is idempotent: run again
     * (a script's retry, a second operator), it changes nothing rather than undo the patch before;
     * going further back takes --to. Under the lock.
     */
    private final Set<Long> undos = new java.util.HashSet<>();
    /** The generations that run the code as loaded, G0 and the rollbacks to it: nothing to undo. Under the lock. */
    private final Set<Long> loadedCode = new java.util.HashSet<>(Set.of(0L));
    private final Status.Trust trust;

    Patcher(Instrumentation inst, PreparedClasses prepared, AgentOptions options, List<PublicKey> trustedKeys,
            String mode) {
        this.inst = inst;
        this.prepared = prepared;
        this.options = options;
        this.mode = mode;
        ThreadStacks stacks = ThreadStacks.best();
        this.lifecycle = new Lifecycle(stacks);
        this.lifecycle.appCallWaitMillis = options.stragglerMillis();
        this.lifecycle.drainMillis = options.hookTimeoutMillis();
        this.checks = new PatchPlan(inst, prepared, lifecycle, trustedKeys);
        this.trust = new Status.Trust(!trustedKeys.isEmpty(),
            trustedKeys.stream().map(io.livepatch4j.patch.sign.PatchSigning::keyId).toList());
        this.redefine = new RedefineStrategy(inst, lifecycle);
        this.newClasses = new NewClasses(prepared, inst);
        AgentLog.debug("livepatch4j: threads outside units of work are checked with {0}",
            stacks.mechanism());
    }

    String mode() {
        return mode;
    }

    Status.Trust trust() {
        return trust;
    }

    /** The keys a patch must be signed with; empty if the agent takes unsigned patches. */
    List<PublicKey> trustedKeys() {
        return checks.trustedKeys();
    }

    AgentOptions options() {
        return options;
    }

    History history() {
        return lifecycle.history();
    }

    Transition transition() {
        return lifecycle.transition();
    }

    Lifecycle.View view() {
        return lifecycle.view();
    }

    Map<Class<?>, HostClass> hosts() {
        return lifecycle.hosts();
    }

    // ---- apply ----

    ApplyResult apply(Patch signed, Strategy strategy) throws PatchException {
        refuseFromHook("apply patch " + signed.id());
        refuseGlobalInsideUnit(strategy);
        UnitsOfWork.awaitInstalled();
        synchronized (lifecycle.lock) {
            lifecycle.refuseWhileDraining("patch " + signed.id());
            ApplyPhases phases = new ApplyPhases();
            Transition running = lifecycle.running();
            if (running != null) {
                throw new PatchException("refused: patch " + signed.id() + ": the transition to G"
                    + running.target().number() + " is still running (" + running.remaining().size()
                    + " threads remaining); wait for it ('lp4j status'), or reverse it with 'lp4j rollback'");
            }
            checks.checkTrust(signed);
            // The signature covers the patch as built; the agent's view of it may differ in one way only.
            Patch patch = signed.replace() ? newClasses.carriedAgain(signed) : signed;
            Generation current = Generations.current();
            Includes live = lifecycle.history().get(current.number()).includes;
            refuseIfLive(patch, current, live);
            StateRule.check(patch, live);
            List<String> leftOut = new ArrayList<>();
            List<PatchPlan.Planned> plan = checks.plan(patch, current, leftOut);
            Map<HostClass, ClassVersion> reverted = patch.replace() ? reverted(current, plan) : Map.of();
            if (strategy == Strategy.REDEFINE) {
                redefine.check(patch, plan, reverted);
            } else {
                refuseRedefinedReverts(patch, reverted);
            }
            phases.lap("checks");
            List<PatchPlan.Planned> checked = plan;
            try {
                if (strategy != Strategy.REDEFINE) { // which redefines the classes with their new code
                    AheadVariants.expect(prepared, checked, () -> shapeAhead(current, patch, checked));
                }
                plan = checks.loadDeferred(patch, plan, leftOut);
            } finally {
                prepared.forgetExpected();
            }
            phases.lap("loading");
            Set<Class<?>> hostsBefore = lifecycle.hosts().keySet();
            ApplyResult applied;
            while (true) {
                try {
                    applied = applyPlanned(patch, strategy, current, plan, reverted, live.after(patch), phases);
                    break;
                } catch (UnlinkableCode e) {
                    lifecycle.forgetHostsExcept(hostsBefore);
                    if (!leaveOut(patch, plan, e)) {
                        throw e;
                    }
                    leftOut.add(e.host.name() + " (its code, as loaded and as patched, needs a class that cannot be "
                        + "loaded here: " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()) + ")");
                    reverted = patch.replace() ? reverted(current, plan) : Map.of();
                } catch (PatchException | RuntimeException | Error e) {
                    lifecycle.forgetHostsExcept(hostsBefore);
                    throw e;
                }
            }
            if (!patch.notCarried().isEmpty()) {
                // Said where the operator looks, whichever way the patch came (lp4j, the MXBean, the API).
                LOG.log(System.Logger.Level.WARNING, "livepatch4j: patch {0} does not carry {1} difference(s) between "
                    + "its builds; this JVM keeps the old build''s behaviour there:\n  {2}", patch.id(),
                    patch.notCarried().size(), String.join("\n  ", patch.notCarried().stream()
                        .map(io.livepatch4j.patch.NotCarried::message).toList()));
            }
            applied = applied.withPhases(phases.millis());
            return leftOut.isEmpty() ? applied : applied.withLeftOut(leftOut);
        }
    }

    private static final int JVMTI_CLASS_STATUS_INITIALIZED = 4;

    /**
     * Under the lock: a class of the patch whose new code needs a class this JVM cannot load. If the
     * class never ran (it was never initialized) and its code as loaded needs such a class too (a
     * library's optional dependency is absent), the patch leaves it out, as PatchPlan leaves out
     * classes that cannot even load, and true is returned; lp4j apply lists it. A class that has run
     * is never left out: the patch is refused. What the failed attempt did is harmless to redo: the
     * prologues and defined new classes stay as they would anyway, versions are reused.
     */
    private boolean leaveOut(Patch patch, List<PatchPlan.Planned> plan, UnlinkableCode e) throws PatchException {
        // Never a class that has run: JVMTI says whether it was initialized (-1: unknown, so no).
        int status = JvmtiStacks.classStatus(e.host.type);
        boolean neverRan = status >= 0 && (status & JVMTI_CLASS_STATUS_INITIALIZED) == 0;
        if (!neverRan || plan.size() <= 1 || plan.stream().noneMatch(p -> p.type() == e.host.type)
            || ImplClasses.originalLinks(e.host, shapeOf(Generations.current(), emptyPatch()))) {
            return false;
        }
        plan.removeIf(p -> p.type() == e.host.type);
        LOG.log(System.Logger.Level.INFO, "livepatch4j: patch {0}: {1} cannot run in this JVM, as loaded or patched "
            + "({2}); nothing here can run it, so the patch leaves it out", patch.id(), e.host.name(),
            e.getCause() == null ? e.getMessage() : e.getCause().toString());
        return true;
    }

    /**
     * Under the lock, after every check passed: the steps that change the JVM. {@code reverted}: the
     * classes that go back to their original code in the same transition (a cumulative patch's), which
     * need no new version, context or initializer, only a place in the transition's class set.
     */
    private ApplyResult applyPlanned(Patch patch, Strategy strategy, Generation current, List<PatchPlan.Planned> plan,
                                     Map<HostClass, ClassVersion> reverted, Includes includes, ApplyPhases phases)
        throws PatchException {
        prepareUnprepared(plan);
        phases.lap("preparing");
        Map<HostClass, ClassVersion> touched = new LinkedHashMap<>();
        Generation target = next(current, patch, plan, touched);
        if (reverted.isEmpty() && touched.entrySet().stream().allMatch(e -> Lifecycle.versionIn(current, e.getKey())
            == e.getValue())) {
            // Only a cumulative patch gets here (a stacked one's bases are the code that runs): the same
            // patch again. Every version was reused, so refusing leaves nothing behind.
            throw new Unchanged(current.number(), "patch " + patch.id() + " is already applied: G" + current.number()
                + " runs exactly its code (it includes " + lifecycle.history().get(current.number()).includes + ")");
        }
        if (strategy == Strategy.REDEFINE) {
            Map<HostClass, ClassVersion> redefined = new LinkedHashMap<>(touched);
            redefined.putAll(reverted);
            ApplyResult applied = redefine.apply(target, patch.id(), redefined, includes);
            codeByPatch.put(patch.id(), code(patch));
            undoTo.put(applied.generation(), current.number());
            return applied;
        }
        PatchShape context = shapeOf(target, patch);
        for (Map.Entry<HostClass, ClassVersion> e : touched.entrySet()) {
            e.getKey().setContext(e.getValue(), context);
        }
        phases.lap("versions");
        ConstructorCalls.prepare(inst, prepared, touched, context);
        phases.lap("constructors");
        newClasses.define(patch, context, List.copyOf(touched.keySet()));
        PatchHooks hooks = PatchHooks.resolve(patch, List.copyOf(touched.keySet()), options.hookTimeoutMillis());
        phases.lap("new classes");
        Set<HostClass> classes = new LinkedHashSet<>(touched.keySet());
        classes.addAll(reverted.keySet());
        installAll(classes, target);
        phases.lap("implementations");
        StaticInitRunner initializers = new StaticInitRunner();
        for (PatchPlan.Planned p : plan) {
            HostClass h = host(p);
            if (p.patch().reinitialize()) {
                initializers.addWhole(h, touched.get(h), p.bytes(), context);
            } else if (p.diff().changes().stream().anyMatch(c -> c.kind() == io.livepatch4j.patch.ChangeKind.STATIC_INITIALIZER)) {
                initializers.add(h, touched.get(h), p.before(), p.bytes(), context);
            }
        }
        // Before the generation is published, pinned to it: the pre-apply callbacks (a veto refuses the
        // patch), the static initializers, then the state transformers (they migrate what those built).
        // Their time is the patch's code, not the agent's: a phase of its own ("patch code"), between two
        // parts of "start". They run on this thread, in the global strategy too.
        Transition.BeforePublish before = into -> {
            phases.lap("start");
            try {
                hooks.runOrRefuse(PatchHook.Kind.PRE_APPLY, into, "its pre-apply callback");
                if (!initializers.isEmpty()) {
                    initializers.run(into);
                }
                hooks.runOrRefuse(PatchHook.Kind.TRANSFORMER, into, "its state transformer");
            } finally {
                phases.lap("patch code");
            }
        };
        ApplyResult started = lifecycle.start(target, strategy, classes, patch.id(), "patch " + patch.id(), includes,
            options.globalTimeoutMillis(), before, () -> hooks.runLater(PatchHook.Kind.POST_APPLY, target));
        phases.lap("start");
        hooksByPatch.put(patch.id(), hooks);
        codeByPatch.put(patch.id(), code(patch));
        undoTo.put(started.generation(), current.number());
        return started;
    }

    /**
     * Under the lock, before a rollback from {@code current} to {@code to} changes anything: the
     * pre-rollback callbacks and then the reverse transformers of every patch that {@code current}
     * includes and {@code to} does not, newest first, pinned to {@code current} (the patch's code).
     * A reverse transformer that throws refuses the rollback. Returns what runs when it completed.
     */
    private Runnable beforeRollback(Generation current, Includes from, Includes to, Generation back)
        throws PatchException {
        List<PatchHooks> removed = new ArrayList<>();
        List<String> ids = new ArrayList<>(from.patches());
        java.util.Collections.reverse(ids);
        for (String id : ids) {
            PatchHooks h = hooksByPatch.get(id);
            if (!to.patches().contains(id) && h != null) {
                removed.add(h);
            }
        }
        for (PatchHooks h : removed) {
            h.runLogged(PatchHook.Kind.PRE_ROLLBACK, current, true);
        }
        for (PatchHooks h : removed) {
            h.runOrRefuse(PatchHook.Kind.REVERSE_TRANSFORMER, current, "the rollback was refused: its reverse transformer");
        }
        return removed.isEmpty() ? null : () -> removed.forEach(h -> h.runLater(PatchHook.Kind.POST_ROLLBACK, back));
    }

    /**
     * Under the lock, for a cumulative patch: every class a live patch changed that this patch does not
     * name, with its original version, which the target generation runs (as a rollback to G0 would).
     * Classes live patches added as new classes are not among them: a class cannot be undefined.
     */
    private Map<HostClass, ClassVersion> reverted(Generation current, List<PatchPlan.Planned> plan) {
        Set<HostClass> named = new java.util.HashSet<>();
        plan.forEach(p -> named.add(p.host()));
        Map<HostClass, ClassVersion> reverted = new LinkedHashMap<>();
        for (HostClass h : lifecycle.hosts().values()) {
            if (!named.contains(h) && !Lifecycle.versionIn(current, h).isOriginal()) {
                reverted.put(h, h.original());
            }
        }
        return reverted;
    }

    /**
     * The local and global strategies return a class to its original code by dispatch; a class whose own
     * bodies the redefine strategy replaced has no original left to dispatch to (as for a rollback).
     */
    private static void refuseRedefinedReverts(Patch patch, Map<HostClass, ClassVersion> reverted) throws PatchException {
        for (HostClass h : reverted.keySet()) {
            if (h.bodyVersion != 0) {
                throw new PatchException("refused patch " + patch.id() + ", nothing was changed: it replaces the live "
                    + "patches, so " + h.name() + ", which they changed with the redefine strategy and this patch does not "
                    + "name, would go back to its original code; only the redefine strategy can do that: apply it with "
                    + "--strategy redefine, or roll the live patches back with --strategy redefine first");
            }
        }
    }

    // ---- rollback ----

    /**
     * A new generation whose code equals generation {@code to}'s; reverses a running transition.
     * {@code to} < 0 means "undo the last change": the running transition's source, or the newest
     * generation before the current one that did not abort; resolved under the lock, so two
     * concurrent undos cannot both pick the same generation.
     */
    ApplyResult rollback(long to, Strategy strategy) throws PatchException {
        refuseFromHook("roll back");
        refuseGlobalInsideUnit(strategy);
        UnitsOfWork.awaitInstalled();
        synchronized (lifecycle.lock) {
            lifecycle.refuseWhileDraining("the rollback");
            Generation current = Generations.current();
            boolean explicit = to >= 0;
            if (to < 0) {
                to = undone(current);
            }
            GenerationRecord record = lifecycle.history().get(to);
            if (record == null) {
                throw new PatchException("refused: there is no generation G" + to + " to roll back to; "
                    + "'lp4j status' lists the generations of this JVM");
            }
            if (current.number() == to) {
                // Not an error: as an undo with nothing to undo, so that 'rollback --to N' may run twice.
                throw new Unchanged(current.number(), "nothing to roll back: this JVM already runs G" + to);
            }
            Generation back = new Generation(lifecycle.history().nextNumber(), "rollback to G" + to,
                record.generation.versions());
            // No state rule here: a rollback returns to code that ran before, and undoing the state that
            // later patches set up is their rollback callbacks' and transformers' work.
            if (strategy == Strategy.REDEFINE) {
                return rolledBack(redefine.rollback(back, to, current, record.includes), to);
            }
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
            for (HostClass h : classes) {
                if (h.bodyVersion != 0) {
                    throw new PatchException("refused: class " + h.name() + " was changed with the redefine strategy; "
                        + "roll it back with --strategy redefine");
                }
            }
            if (classes.isEmpty() && running == null) {
                if (explicit) { // 'rollback --to N' again: G(current) already runs N's code
                    throw new Unchanged(current.number(), "nothing to roll back: G" + current.number() + " already runs "
                        + "the code of G" + to + " (it includes " + lifecycle.history().get(current.number()).includes + ")");
                }
                throw new PatchException("refused: G" + to + " runs the same code as G" + current.number());
            }
            Runnable afterRollback = beforeRollback(current, lifecycle.history().get(current.number()).includes,
                record.includes, back);
            installAll(classes, back);
            ApplyResult result = rolledBack(lifecycle.start(back, strategy, classes, null, "rollback to G" + to,
                record.includes, options.globalTimeoutMillis(), null, afterRollback), to);
            if (!explicit) {
                undos.add(result.generation());
            }
            return result;
        }
    }

    /** Under the lock: a rollback to Gk is undone as Gk is. */
    private ApplyResult rolledBack(ApplyResult result, long to) {
        if (loadedCode.contains(to)) {
            loadedCode.add(result.generation());
        } else if (undoTo.containsKey(to)) {
            undoTo.put(result.generation(), undoTo.get(to));
        }
        return result;
    }

    /**
     * Under the lock: the generation an undo ("lp4j rollback" without --to) returns to: the one that
     * was current before the last patch still in effect was applied (an aborted one is skipped, as
     * it never took effect). Throws {@link Unchanged} when no patch is in effect. A generation this
     * Patcher did not make (a test's driver makes its own) is undone to the generation before it.
     */
    private long undone(Generation current) throws PatchException {
        if (loadedCode.contains(current.number())) {
            throw new Unchanged(current.number(), "nothing to roll back: G" + current.number() + " runs the code as "
                + "loaded (" + lifecycle.history().get(current.number()).includes + "); 'lp4j rollback --to N' goes to "
                + "an earlier generation's code");
        }
        Long to = undoTo.get(current.number());
        while (to != null && lifecycle.history().get(to) == null) {
            to = undoTo.get(to);
        }
        long back = to != null ? to : previous(current);
        if (undos.contains(current.number())) {
            throw new Unchanged(current.number(), "nothing to roll back: G" + current.number() + " is the rollback of "
                + "the last patch (a rollback run again changes nothing); to undo what G" + current.number()
                + " includes (" + lifecycle.history().get(current.number()).includes + ") too: lp4j rollback --to " + back);
        }
        return back;
    }

    /** Under the lock: the generation before the current one (or the running transition's source). */
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
            throw new Unchanged(current.number(), "nothing to roll back: G" + current.number() + " is the first generation");
        }
        return best.generation.number();
    }

    /**
     * Under the lock, before any check: the patch that is live, applied again, changes nothing. A
     * stacked patch would otherwise be refused because its base classes are its own new code.
     */
    private void refuseIfLive(Patch patch, Generation current, Includes live) throws Unchanged {
        List<String> ids = live.patches();
        if (!ids.isEmpty() && ids.get(ids.size() - 1).equals(patch.id()) && code(patch).equals(codeByPatch.get(patch.id()))) {
            throw new Unchanged(current.number(), "patch " + patch.id() + " is already applied: G" + current.number()
                + " runs its code (it includes " + live + ")");
        }
    }

    /** What a patch's code is, as one digest: its classes' new bytes and its added classes. */
    private static String code(Patch patch) {
        StringBuilder all = new StringBuilder(patch.replace() ? "replace" : "stack");
        patch.classes().forEach(c -> all.append('|').append(c.name()).append('=')
            .append(io.livepatch4j.patch.Sha256.hex(c.targetBytes())));
        patch.newClasses().forEach(c -> all.append('|').append(c.name()).append('=').append(c.sha256()));
        return all.toString();
    }

    /**
     * A callback or transformer that runs while an apply or rollback holds the lock (pre-apply,
     * transformers, pre-rollback, reverse transformers) cannot start another: it would run inside the
     * one in progress, or wait for it forever. Post callbacks run outside the lock and may.
     */
    private void refuseFromHook(String what) throws PatchException {
        if (PatchHooks.inHookUnderLock()) {
            throw new PatchException("refused: a patch's callback or transformer cannot " + what + " while the apply or "
                + "rollback it belongs to is in progress; do it from a post-apply or post-rollback callback");
        }
    }

    private static void refuseGlobalInsideUnit(Strategy strategy) throws PatchException {
        if (strategy == Strategy.GLOBAL && io.livepatch4j.agent.bootstrap.Units.inUnit()) {
            throw new PatchException("refused: the global strategy cannot be started from inside a unit of work "
                + "(it would wait for itself); call it from a thread that is not serving a request");
        }
    }

    // ---- preparing and installing ----

    /** Attach mode: one retransformation gives every not-yet-prepared class its prologue. */
    private void prepareUnprepared(List<PatchPlan.Planned> plan) throws PatchException {
        List<Class<?>> todo = new ArrayList<>();
        for (PatchPlan.Planned p : plan) {
            if (!prepared.isPrepared(p.type())) {
                todo.add(p.type());
            }
        }
        if (todo.isEmpty()) {
            return;
        }
        try {
            prepared.prepare(inst, todo);
        } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
            throw new PatchException("refused: the JVM would not let the agent prepare " + todo + " for patching ("
                + e + "); nothing was changed", e);
        }
        for (PatchPlan.Planned p : plan) {
            PreparedClasses.Original o = prepared.original(p.type());
            if (o == null) {
                throw new PatchException("refused: " + p.type().getName() + " could not be prepared for patching (see "
                    + "the JVM's log); it behaves as before");
            }
            if (p.host() != null || o.sha256().equals(p.patch().baseSha256())) {
                continue;
            }
            // A class loaded before any retransforming agent has no saved class file: HotSpot hands
            // the transformer bytes it reconstitutes, the same code with another hash. The patch's base
            // was checked against the class file on the loader's path; the loaded code must match it.
            byte[] onPath = checks.loadedBytes(p.type(), false);
            if (onPath == null || !ClassDiff.compare(onPath, o.bytes()).sameCode()) {
                throw new PatchException("refused: the code of " + p.type().getName() + " loaded in this JVM differs from "
                    + "the class file its loader finds now (was the jar replaced after start?), so the patch's base "
                    + "cannot be checked against what runs; it behaves as before");
            }
            prepared.replaceOriginal(p.type(), onPath, Sha256.hex(onPath));
        }
    }

    /** Every patched class's loaded shape and its version in {@code g}, plus what this patch adds. */
    private PatchShape shapeOf(Generation g, Patch patch) {
        return shapeOf(g, patch, FreshStatics.in(g, lifecycle.hosts().values()));
    }

    /**
     * The shape {@code shapeOf(target, patch)} will have, as far as it is known before the patch
     * loads its classes that no code has loaded (AheadVariants): the hosts at their versions
     * in {@code current}, and each class of {@code plan} at its new version.
     */
    private PatchShape shapeAhead(Generation current, Patch patch, List<PatchPlan.Planned> plan) {
        Map<String, Integer> fresh = FreshStatics.in(current, lifecycle.hosts().values());
        Map<String, PatchShape.Entry> entries = new HashMap<>();
        for (HostClass h : lifecycle.hosts().values()) {
            entries.put(h.type.getName().replace('.', '/'), FreshStatics.entry(h, Lifecycle.versionIn(current, h), fresh));
        }
        for (PatchPlan.Planned p : plan) {
            HostClass h = p.deferred() ? null : lifecycle.hosts().get(p.type());
            entries.put(p.patch().name().replace('.', '/'), new PatchShape.Entry(
                h != null ? h.loadedShape : ClassShape.of(p.before()), ClassShape.of(p.bytes())));
        }
        Map<String, ClassShape> added = new HashMap<>();
        patch.newClasses().forEach(c -> added.put(c.internalName(), ClassShape.of(c.bytes())));
        return new PatchShape(entries, added);
    }

    /**
     * The same, for code compiled against the fresh static state {@code fresh} (FreshStatics): the
     * static fields of the other classes are the loaded class's.
     */
    private PatchShape shapeOf(Generation g, Patch patch, Map<String, Integer> fresh) {
        Map<String, PatchShape.Entry> entries = new HashMap<>();
        for (HostClass h : lifecycle.hosts().values()) {
            entries.put(h.type.getName().replace('.', '/'), FreshStatics.entry(h, Lifecycle.versionIn(g, h), fresh));
        }
        Map<String, ClassShape> added = new HashMap<>();
        patch.newClasses().forEach(c -> added.put(c.internalName(), ClassShape.of(c.bytes())));
        return new PatchShape(entries, added);
    }

    /**
     * Installs every implementation a thread may need during the transition: the target's version
     * of each class, the version of every generation still live, and the original (the fallback).
     */
    private void installAll(Set<HostClass> classes, Generation target) throws PatchException {
        // Every version a live generation or the target runs needs its implementation class: the ones
        // not installed yet, each with the context it is written in. A version without its own context
        // (an original, an older version) is built in the target's shape for its fresh static state: one
        // per state, not one per class (each spans every host).
        List<ImplClasses.Pending> pending = new ArrayList<>();
        Map<Map<String, Integer>, PatchShape> shapes = new HashMap<>();
        for (HostClass h : classes) {
            for (ClassVersion v : lifecycle.needed(h, target)) {
                if (!v.installed()) {
                    PatchShape context = h.context(v);
                    pending.add(new ImplClasses.Pending(h, v, context != null ? context : shapes.computeIfAbsent(
                        FreshStatics.of(h.variant(v)), fresh -> shapeOf(target, emptyPatch(), fresh))));
                }
            }
        }
        // Rewriting is most of the work and changes nothing: done on every core, and a version that cannot
        // be rewritten refuses the patch before any class is defined. Defining and installing, in order.
        List<WrittenClass> written = ApplyWorkers.map("implementations", pending,
            p -> p.host().type.getClassLoader(), ImplClasses::write);
        List<ClassVersion> installedNow = new ArrayList<>();
        try {
            for (int i = 0; i < pending.size(); i++) {
                ImplClasses.install(pending.get(i), written.get(i));
                installedNow.add(pending.get(i).version());
            }
        } catch (PatchException e) {
            installedNow.forEach(ClassVersion::release);
            throw e;
        }
    }

    private static Patch emptyPatch() {
        return new Patch("none", "", "", null, List.of(), List.of(), null);
    }

    /**
     * The generation after {@code current} with the patch's version of each planned class (a version
     * with the same bytes is reused, so applying a patch again after a rollback adds nothing);
     * {@code touched} receives each class and its new version. The other classes keep their version in
     * {@code current} (a stacked patch), or run their original code (a cumulative one: an empty array
     * means every class at its original).
     */
    private Generation next(Generation current, Patch patch, List<PatchPlan.Planned> plan,
                            Map<HostClass, ClassVersion> touched) {
        // A cumulative patch starts from the code as loaded: every other class goes back to its original.
        ClassVersion[] versions = patch.replace() ? new ClassVersion[0] : current.versions();
        Map<String, Integer> fresh = FreshStatics.forTarget(current, patch, plan, lifecycle.hosts().values());
        Set<String> variant = FreshStatics.variant(fresh);
        for (PatchPlan.Planned p : plan) {
            HostClass h = host(p);
            byte[] bytes = p.bytes();
            String sha = bytes == p.patch().targetBytes() ? p.patch().targetSha256() : Sha256.hex(bytes);
            Integer tag = fresh.get(p.patch().name()); // its own fresh state, new or kept
            ClassVersion v = h.versionWithSha(sha, variant, tag);
            if (v == null) {
                v = h.newVersion(sha, p.patch().targetSha256(), bytes, null, variant, tag);
            }
            versions = grow(versions, h.runtime.index());
            versions[h.runtime.index()] = v;
            touched.put(h, v);
        }
        return new Generation(lifecycle.history().nextNumber(), patch.id(), versions);
    }

    /** The planned class's host: known already, or registered now. */
    private HostClass host(PatchPlan.Planned p) {
        return p.host() != null ? p.host() : lifecycle.hostFor(p.type(), prepared);
    }

    private static ClassVersion[] grow(ClassVersion[] versions, int index) {
        if (index < versions.length) {
            return versions;
        }
        ClassVersion[] bigger = new ClassVersion[index + 1];
        System.arraycopy(versions, 0, bigger, 0, versions.length);
        return bigger;
    }
}
