package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.agent.bootstrap.Generation;
import io.livepatch4j.agent.bootstrap.Generations;
import io.livepatch4j.agent.bootstrap.ThreadState;
import io.livepatch4j.agent.tooling.events.PatchEvents;
import io.livepatch4j.patch.ChangeKind;
import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.Sha256;
import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.diff.LambdaPairing;
import io.livepatch4j.patch.diff.Refusal;
import io.livepatch4j.patch.rewrite.PatchShape;
import io.livepatch4j.patch.sign.PatchSigning;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassDefinition;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies patches and rollbacks. Every check runs before anything changes: a refused patch leaves the
 * JVM exactly as it was. Then, in order: prepare the classes (attach mode), create the new versions
 * and generation, define added classes, install implementation classes (the JVM verifies them
 * here), and start the transition. One operation at a time, under {@code lock}.
 */
final class Patcher {

    private static final System.Logger LOG = System.getLogger("io.livepatch4j");

    private final Object lock = new Object();
    private final Instrumentation inst;
    private final PreparedClasses prepared;
    private final AgentOptions options;
    private final List<PublicKey> trustedKeys;
    private final String mode;
    /** Written under {@code lock}; read by the transition's monitor thread when it completes. */
    private final Map<Class<?>, HostClass> hosts = new java.util.concurrent.ConcurrentHashMap<>();
    private final History history = new History();
    private final NewClasses newClasses;
    private final ThreadStacks stacks;
    private volatile Transition transition;
    /** Generations a thread may still run: the last completed one and every one since. */
    private final List<Generation> live = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(Generation.ZERO));

    Patcher(Instrumentation inst, PreparedClasses prepared, AgentOptions options, List<PublicKey> trustedKeys,
            String mode) {
        this.inst = inst;
        this.prepared = prepared;
        this.options = options;
        this.trustedKeys = List.copyOf(trustedKeys);
        this.mode = mode;
        this.newClasses = new NewClasses(prepared, inst);
        this.stacks = ThreadStacks.best();
        LOG.log(System.Logger.Level.INFO, "livepatch4j: threads outside units of work are checked with {0}",
            stacks.mechanism());
    }

    String mode() {
        return mode;
    }

    AgentOptions options() {
        return options;
    }

    History history() {
        return history;
    }

    Transition transition() {
        return transition;
    }

    /** The version of {@code h} in generation {@code g}. */
    static ClassVersion versionIn(Generation g, HostClass h) {
        ClassVersion v = g.version(h.runtime.index());
        return v == null ? h.original() : v;
    }

    // ---- apply ----

    ApplyResult apply(Patch patch, Strategy strategy) throws PatchException {
        refuseGlobalInsideUnit(strategy);
        synchronized (lock) {
            Transition running = transition;
            if (running != null && running.state() == Transition.State.RUNNING) {
                throw new PatchException("refused: patch " + patch.id() + ": the transition to G"
                    + running.target().number() + " is still running (" + running.remaining().size()
                    + " threads remaining); wait for it ('lp4j status'), or reverse it with 'lp4j rollback'");
            }
            checkTrust(patch);
            Generation current = Generations.current();
            List<Planned> plan = plan(patch, current);
            if (strategy == Strategy.REDEFINE) {
                return redefine(patch, plan, current);
            }
            prepareUnprepared(plan);

            Map<HostClass, ClassVersion> touched = new LinkedHashMap<>();
            Generation target = next(current, patch, plan, touched);
            PatchShape context = shapeOf(target, patch);
            for (Map.Entry<HostClass, ClassVersion> e : touched.entrySet()) {
                e.getKey().setContext(e.getValue(), context);
            }
            newClasses.define(patch, context, List.copyOf(touched.keySet()));
            installAll(touched.keySet(), target);
            return start(target, strategy, touched.keySet(), patch.id(), "patch " + patch.id());
        }
    }

    // ---- rollback ----

    /** A new generation whose code equals generation {@code to}'s; reverses a running transition. */
    ApplyResult rollback(long to, Strategy strategy) throws PatchException {
        refuseGlobalInsideUnit(strategy);
        synchronized (lock) {
            GenerationRecord record = history.get(to);
            if (record == null) {
                throw new PatchException("refused: there is no generation G" + to + " to roll back to; "
                    + "'lp4j status' lists the generations of this JVM");
            }
            Generation current = Generations.current();
            if (current.number() == to) {
                throw new PatchException("refused: this JVM already runs G" + to);
            }
            Generation back = new Generation(current.number() + 1, "rollback to G" + to, record.generation.versions());
            if (strategy == Strategy.REDEFINE) {
                return redefineRollback(back, record, current);
            }
            Set<HostClass> classes = new LinkedHashSet<>();
            for (HostClass h : hosts.values()) {
                if (versionIn(current, h) != versionIn(back, h)) {
                    classes.add(h);
                }
            }
            Transition running = transition;
            if (running != null && running.state() == Transition.State.RUNNING) {
                classes.addAll(running.classes());
            }
            for (HostClass h : classes) {
                if (h.bodyVersion != 0) {
                    throw new PatchException("refused: class " + h.name() + " was changed with the redefine strategy; "
                        + "roll it back with --strategy redefine");
                }
            }
            if (classes.isEmpty() && running == null) {
                throw new PatchException("refused: G" + to + " runs the same code as G" + current.number());
            }
            installAll(classes, back);
            return start(back, strategy, classes, null, "rollback to G" + to);
        }
    }

    private static void refuseGlobalInsideUnit(Strategy strategy) throws PatchException {
        if (strategy == Strategy.GLOBAL && io.livepatch4j.agent.bootstrap.Units.inUnit()) {
            throw new PatchException("refused: the global strategy cannot be started from inside a unit of work "
                + "(it would wait for itself); call it from a thread that is not serving a request");
        }
    }

    // ---- the common end of apply and rollback ----

    private ApplyResult start(Generation target, Strategy strategy, Set<HostClass> classes, String patchId,
                              String label) throws PatchException {
        Generation current = Generations.current();
        Transition running = transition;
        Generation untrackedSince = current;
        if (running != null && running.state() == Transition.State.RUNNING) {
            running.supersede();
            untrackedSince = running.untrackedSince();
        }
        live.add(target);
        history.add(new GenerationRecord(target, label, patchId, strategy, Instant.now(), classNames(classes)));
        Transition t = new Transition(current, target, strategy, classes, untrackedSince, stacks, this::completed);
        transition = t;
        PatchEvents.PatchApplied e = new PatchEvents.PatchApplied();
        if (e.isEnabled()) {
            e.patchId = patchId == null ? label : patchId;
            e.generation = target.number();
            e.fromGeneration = current.number();
            e.strategy = strategy.word();
            e.classes = classes.size();
            e.commit();
        }
        LOG.log(System.Logger.Level.INFO, "livepatch4j: {0}: G{1} -> G{2} ({3}, {4} classes)", label,
            current.number(), target.number(), strategy.word(), classes.size());
        if (strategy == Strategy.GLOBAL) {
            try {
                t.runGlobal(options.globalTimeoutMillis());
            } catch (PatchException ex) {
                live.remove(target);
                history.markAborted(target.number());
                Generations.publish(current);
                throw ex;
            }
        } else {
            t.start();
        }
        return new ApplyResult(target.number(), current.number(), patchId, strategy, classNames(classes),
            t.state() == Transition.State.COMPLETE);
    }

    /**
     * Called by the transition's monitor thread when it completes, before the transition says so:
     * older versions retire and are released. A new apply cannot run meanwhile (it refuses while the
     * transition is RUNNING); a rollback that supersedes it waits on the transition's lock.
     */
    private void completed(Transition t) {
        synchronized (live) {
            Set<ClassVersion> keep = new HashSet<>();
            for (HostClass h : hosts.values()) {
                keep.add(versionIn(t.target(), h));
                keep.add(h.original());
            }
            for (Generation g : live) {
                if (g != t.target()) {
                    history.markRetired(g.number(), t.elapsedNanos());
                    PatchEvents.GenerationRetired e = new PatchEvents.GenerationRetired();
                    if (e.isEnabled()) {
                        e.generation = g.number();
                        e.label = g.label();
                        e.commit();
                    }
                }
            }
            live.clear();
            live.add(t.target());
            history.markCurrent(t.target().number(), t.elapsedNanos());
            for (HostClass h : hosts.values()) {
                for (ClassVersion v : h.versions()) {
                    if (!keep.contains(v)) {
                        v.release();
                    }
                }
            }
        }
    }

    // ---- checks: nothing has changed yet ----

    /**
     * One class of a patch, resolved to the loaded class; {@code bytes} is the patch's class file with
     * its lambda bodies renamed to pair with the version that runs (the very array if none changed).
     */
    private record Planned(ClassPatch patch, Class<?> type, HostClass host, ClassDiff.Result diff, byte[] bytes) {
    }

    private List<Planned> plan(Patch patch, Generation current) throws PatchException {
        List<String> problems = new ArrayList<>();
        List<Planned> plan = new ArrayList<>();
        Map<String, List<Class<?>>> loaded = loadedByName(patch);
        int jvmClassFile = Runtime.version().feature() + 44;
        for (ClassPatch cp : patch.classes()) {
            List<Class<?>> candidates = loaded.getOrDefault(cp.name(), List.of());
            if (candidates.isEmpty()) {
                Class<?> now = loadWithoutInitializing(cp.name(), loaded);
                if (now == null) {
                    problems.add(cp.name() + ": no class loader of this JVM finds this class; is the patch for this "
                        + "program?");
                    continue;
                }
                candidates = List.of(now);
            }
            if (candidates.size() > 1) {
                problems.add(cp.name() + ": the class is loaded by " + candidates.size()
                    + " class loaders; livepatch4j patches one copy of a class at a time");
                continue;
            }
            Class<?> type = candidates.get(0);
            HostClass h = hosts.get(type);
            byte[] currentBytes;
            String currentSha;
            String where;
            if (h != null) {
                ClassVersion v = versionIn(current, h);
                currentBytes = v.bytes();
                currentSha = v.builtSha256();
                where = "the code of generation G" + current.number() + ", version " + v.number() + " of the class";
            } else {
                currentBytes = loadedBytes(type);
                if (currentBytes == null) {
                    problems.add(cp.name() + ": the bytes this class was loaded from cannot be read (it was generated "
                        + "at run time or its loader hides its resources), so the patch's base cannot be checked");
                    continue;
                }
                currentSha = Sha256.hex(currentBytes);
                where = "the class as loaded";
            }
            if (!currentSha.equals(cp.baseSha256())) {
                problems.add(cp.name() + ": the patch was built against class bytes with SHA-256 "
                    + Sha256.shortHex(cp.baseSha256()) + "…, but this JVM runs " + Sha256.shortHex(currentSha)
                    + "… (" + where + "); build the patch from the exact build this JVM runs");
                continue;
            }
            int version = ClassShape.of(cp.targetBytes()).version() & 0xFFFF;
            if (version > jvmClassFile) {
                problems.add(cp.name() + ": the new class file has version " + version + " (Java " + (version - 44)
                    + "), newer than this JVM (Java " + Runtime.version().feature() + "); compile it with --release "
                    + Runtime.version().feature() + " or lower");
                continue;
            }
            List<Refusal> unverifiable = io.livepatch4j.patch.diff.BytecodeCheck.check(cp.targetBytes());
            if (!unverifiable.isEmpty()) {
                unverifiable.forEach(r -> problems.add(r.message()));
                continue;
            }
            ClassDiff.Result diff;
            byte[] aligned;
            try {
                // Pair lambda bodies against the bytes that run (an earlier patch's may be renamed already).
                aligned = LambdaPairing.align(currentBytes, cp.targetBytes());
                diff = ClassDiff.compare(currentBytes, aligned);
            } catch (RuntimeException e) {
                problems.add(cp.name() + ": the new class file cannot be read (" + e + "); the patch is corrupt: "
                    + "rebuild it with 'lp4j build'");
                continue;
            }
            for (Refusal r : diff.refusals()) {
                problems.add(r.message());
            }
            plan.add(new Planned(cp, type, h, diff, aligned));
        }
        for (io.livepatch4j.patch.NewClass nc : patch.newClasses()) {
            io.livepatch4j.patch.diff.BytecodeCheck.check(nc.bytes()).forEach(r -> problems.add(r.message()));
        }
        if (patch.classes().isEmpty()) {
            problems.add("the patch changes no loaded class");
        }
        if (!problems.isEmpty()) {
            throw new PatchException("refused patch " + patch.id() + ", nothing was changed:\n  - "
                + String.join("\n  - ", problems));
        }
        return plan;
    }

    /**
     * A class of the patch that no code has used yet: load it (without initializing it, so no
     * application code runs) through the loaders of the patch's loaded classes, then the system
     * loader, so it is patched like the others.
     */
    private static Class<?> loadWithoutInitializing(String name, Map<String, List<Class<?>>> loaded) {
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        loaded.values().forEach(list -> list.forEach(c -> loaders.add(c.getClassLoader())));
        loaders.add(ClassLoader.getSystemClassLoader());
        for (ClassLoader l : loaders) {
            try {
                return Class.forName(name, false, l);
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next loader
            }
        }
        return null;
    }

    private void checkTrust(Patch patch) throws PatchException {
        if (!trustedKeys.isEmpty()) {
            PatchSigning.verify(patch, trustedKeys);
        }
    }

    private Map<String, List<Class<?>>> loadedByName(Patch patch) {
        Set<String> names = new HashSet<>();
        patch.classes().forEach(c -> names.add(c.name()));
        Map<String, List<Class<?>>> found = new HashMap<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (names.contains(c.getName()) && !c.isHidden() && !c.isArray()) {
                found.computeIfAbsent(c.getName(), k -> new ArrayList<>()).add(c);
            }
        }
        return found;
    }

    /** The class's bytes as first defined: recorded when it was prepared, else read from its loader. */
    private byte[] loadedBytes(Class<?> type) {
        return loadedBytes(type, true);
    }

    private byte[] loadedBytes(Class<?> type, boolean recorded) {
        PreparedClasses.Original o = recorded ? prepared.original(type) : null;
        if (o != null) {
            return o.bytes();
        }
        ClassLoader loader = type.getClassLoader();
        String resource = type.getName().replace('.', '/') + ".class";
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
            : loader.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /** Attach mode: one retransformation gives every not-yet-prepared class its prologue. */
    private void prepareUnprepared(List<Planned> plan) throws PatchException {
        List<Class<?>> todo = new ArrayList<>();
        for (Planned p : plan) {
            if (!prepared.isPrepared(p.type)) {
                todo.add(p.type);
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
        for (Planned p : plan) {
            PreparedClasses.Original o = prepared.original(p.type);
            if (o == null) {
                throw new PatchException("refused: " + p.type.getName() + " could not be prepared for patching (see "
                    + "the JVM's log); it behaves as before");
            }
            if (p.host != null || o.sha256().equals(p.patch.baseSha256())) {
                continue;
            }
            // A class loaded before any retransforming agent has no saved class file: HotSpot hands
            // the transformer bytes it reconstitutes, the same code with another hash. The patch's base
            // was checked against the class file on the loader's path; the loaded code must match it.
            byte[] onPath = loadedBytes(p.type, false);
            if (onPath == null || !ClassDiff.compare(onPath, o.bytes()).unchanged()) {
                throw new PatchException("refused: the code of " + p.type.getName() + " loaded in this JVM differs from "
                    + "the class file its loader finds now (was the jar replaced after start?), so the patch's base "
                    + "cannot be checked against what runs; it behaves as before");
            }
            prepared.replaceOriginal(p.type, onPath, Sha256.hex(onPath));
        }
    }

    private HostClass host(Class<?> type) {
        return hosts.computeIfAbsent(type, t -> {
            PreparedClasses.Original o = prepared.original(t);
            return new HostClass(t, o.bytes(), o.sha256());
        });
    }

    /** Every patched class's loaded shape and its version in {@code g}, plus what this patch adds. */
    private PatchShape shapeOf(Generation g, Patch patch) {
        Map<String, PatchShape.Entry> entries = new HashMap<>();
        for (HostClass h : hosts.values()) {
            entries.put(h.type.getName().replace('.', '/'),
                new PatchShape.Entry(h.loadedShape, ClassShape.of(versionIn(g, h).bytes())));
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
        List<ClassVersion> installedNow = new ArrayList<>();
        try {
            for (HostClass h : classes) {
                Set<ClassVersion> needed = new LinkedHashSet<>();
                needed.add(h.original());
                for (Generation g : live) {
                    needed.add(versionIn(g, h));
                }
                needed.add(versionIn(target, h));
                for (ClassVersion v : needed) {
                    if (!v.installed()) {
                        PatchShape context = h.context(v);
                        ImplClasses.install(h, v, context != null ? context : shapeOf(target, emptyPatch()));
                        installedNow.add(v);
                    }
                }
            }
        } catch (PatchException e) {
            installedNow.forEach(ClassVersion::release);
            throw e;
        }
    }

    private static Patch emptyPatch() {
        return new Patch("none", "", "", null, List.of(), List.of(), null);
    }

    // ---- redefine: what HotSwap tools do ----

    private ApplyResult redefine(Patch patch, List<Planned> plan, Generation current) throws PatchException {
        List<String> problems = new ArrayList<>();
        for (Planned p : plan) {
            if (p.host != null && p.host.runtime.patched()) {
                problems.add(p.patch.name() + ": the class has a live patch applied with the local or global strategy; "
                    + "roll it back first");
            }
            p.diff.changes().stream().filter(c -> c.kind() != ChangeKind.METHOD_BODY).forEach(c -> problems.add(
                p.patch.name() + "#" + c.member() + ": the redefine strategy (HotSwap) can only change method bodies, "
                    + "not " + c.kind() + "; use the local or global strategy"));
        }
        if (!problems.isEmpty()) {
            throw new PatchException("refused patch " + patch.id() + ", nothing was changed:\n  - "
                + String.join("\n  - ", problems));
        }
        prepareUnprepared(plan);
        Map<HostClass, ClassVersion> touched = new LinkedHashMap<>();
        Generation target = next(current, patch, plan, touched);
        List<ClassDefinition> defs = new ArrayList<>();
        touched.forEach((h, v) -> defs.add(new ClassDefinition(h.type, v.bytes())));
        redefineClasses(defs);
        touched.forEach((h, v) -> h.bodyVersion = v.number());
        return published(target, patch.id(), "patch " + patch.id(), touched.keySet());
    }

    private ApplyResult redefineRollback(Generation back, GenerationRecord record, Generation current)
        throws PatchException {
        List<ClassDefinition> defs = new ArrayList<>();
        Set<HostClass> touched = new LinkedHashSet<>();
        for (HostClass h : hosts.values()) {
            ClassVersion v = versionIn(back, h);
            if (versionIn(current, h) != v) {
                if (h.runtime.patched()) {
                    throw new PatchException("refused: class " + h.name() + " has a live patch applied with the local "
                        + "or global strategy; roll it back with that strategy");
                }
                defs.add(new ClassDefinition(h.type, v.bytes()));
                touched.add(h);
            }
        }
        redefineClasses(defs);
        touched.forEach(h -> h.bodyVersion = versionIn(back, h).number());
        return published(back, null, "rollback to G" + record.generation.number(), touched);
    }

    private void redefineClasses(List<ClassDefinition> defs) throws PatchException {
        try {
            inst.redefineClasses(defs.toArray(new ClassDefinition[0]));
        } catch (ClassNotFoundException | UnmodifiableClassException | RuntimeException | LinkageError e) {
            throw new PatchException("refused: the JVM would not redefine the classes (" + e
                + "); nothing was changed", e);
        }
    }

    private ApplyResult published(Generation target, String patchId, String label, Set<HostClass> classes) {
        Generation current = Generations.current();
        Generations.publish(target);
        history.add(new GenerationRecord(target, label, patchId, Strategy.REDEFINE, Instant.now(), classNames(classes)));
        synchronized (live) {
            for (Generation g : live) {
                history.markRetired(g.number(), 0);
            }
            live.clear();
            live.add(target);
        }
        history.markCurrent(target.number(), 0);
        return new ApplyResult(target.number(), current.number(), patchId, Strategy.REDEFINE, classNames(classes), true);
    }

    // ---- helpers ----

    /**
     * The generation after {@code current} with the patch's version of each planned class (a version
     * with the same bytes is reused, so applying a patch again after a rollback adds nothing);
     * {@code touched} receives each class and its new version.
     */
    private Generation next(Generation current, Patch patch, List<Planned> plan, Map<HostClass, ClassVersion> touched) {
        ClassVersion[] versions = current.versions();
        for (Planned p : plan) {
            HostClass h = p.host != null ? p.host : host(p.type);
            String sha = p.bytes == p.patch.targetBytes() ? p.patch.targetSha256() : Sha256.hex(p.bytes);
            ClassVersion v = h.versionWithSha(sha);
            if (v == null) {
                v = h.newVersion(sha, p.patch.targetSha256(), p.bytes, null);
            }
            versions = grow(versions, h.runtime.index());
            versions[h.runtime.index()] = v;
            touched.put(h, v);
        }
        return new Generation(current.number() + 1, patch.id(), versions);
    }

    private static ClassVersion[] grow(ClassVersion[] versions, int index) {
        if (index < versions.length) {
            return versions;
        }
        ClassVersion[] bigger = new ClassVersion[index + 1];
        System.arraycopy(versions, 0, bigger, 0, versions.length);
        return bigger;
    }

    private static List<String> classNames(Set<HostClass> classes) {
        List<String> names = new ArrayList<>();
        classes.forEach(h -> names.add(h.name()));
        return names;
    }

    Map<Class<?>, HostClass> hosts() {
        return new LinkedHashMap<>(hosts);
    }

    List<ThreadState> threads() {
        return new ArrayList<>(ThreadState.all());
    }
}
