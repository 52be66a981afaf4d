package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.agent.bootstrap.Generation;
import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.NewClass;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.Sha256;
import io.livepatch4j.patch.Unpatchable;
import io.livepatch4j.patch.diff.BytecodeCheck;
import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.InheritedOverrides;
import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.diff.Reinitialization;
import io.livepatch4j.patch.diff.LambdaPairing;
import io.livepatch4j.patch.rewrite.ClassHierarchy;
import io.livepatch4j.patch.rewrite.ClassRenames;
import io.livepatch4j.patch.diff.Refusal;
import io.livepatch4j.patch.sign.PatchSigning;
import org.objectweb.asm.tree.ClassNode;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks that run before a patch changes anything: trust, which loaded class each class of the
 * patch is, whether it may be patched at all, whether the patch was built against the code this JVM
 * runs, and whether the change is one the agent can take. Nothing here changes the JVM: a class of
 * the patch that no code has loaded yet is checked against its class file as its loader finds it,
 * and loaded ({@link #loadDeferred}) only once every check passed, so a refused patch loads nothing.
 */
final class PatchPlan {

    private static final System.Logger LOG = AgentLog.logger("io.livepatch4j");

    /**
     * One class of a patch, resolved to the loaded class. {@code host} is null if no patch touched it
     * yet; {@code bytes} is the patch's class file with its lambda bodies renamed to pair with the
     * version that runs (the very array if none changed).
     *
     * @param type   the loaded class, or null while it is deferred: not loaded yet, to be loaded through
     *               {@code loader} by {@link #loadDeferred}
     * @param before the bytes of the code the class runs now (a deferred class's: its class file);
     *               {@code bytes} the patch's, aligned to them
     */
    record Planned(ClassPatch patch, Class<?> type, HostClass host, ClassDiff.Result diff, byte[] before, byte[] bytes,
                   ClassLoader loader) {

        boolean deferred() {
            return type == null;
        }
    }

    /**
     * A class file a loader finds for a class that is not loaded, read without loading it: as the
     * loader's resources give it ({@code bytes}, its parent's first), and the other copies its
     * resources hold whose contents differ ({@code others}: a child-first loader's own copy, of any
     * loader class that lists its resources, {@code ClassLoader.getResources}).
     */
    private record ClassFile(ClassLoader loader, byte[] bytes, List<byte[]> others) {

        /** Whether the copies differ and one of them is {@code base}: only loading tells which is defined. */
        boolean ambiguous(String base) {
            if (others.isEmpty()) {
                return false;
            }
            if (Sha256.hex(bytes).equals(base)) {
                return true;
            }
            return others.stream().anyMatch(o -> Sha256.hex(o).equals(base));
        }
    }

    private final Instrumentation inst;
    private final PreparedClasses prepared;
    private final Lifecycle lifecycle;
    private final List<PublicKey> trustedKeys;

    PatchPlan(Instrumentation inst, PreparedClasses prepared, Lifecycle lifecycle, List<PublicKey> trustedKeys) {
        this.inst = inst;
        this.prepared = prepared;
        this.lifecycle = lifecycle;
        this.trustedKeys = List.copyOf(trustedKeys);
    }

    List<PublicKey> trustedKeys() {
        return trustedKeys;
    }

    void checkTrust(Patch patch) throws PatchException {
        if (!trustedKeys.isEmpty()) {
            PatchSigning.verify(patch, trustedKeys);
        }
    }

    /**
     * Every class of the patch, checked against what runs in {@code current}; refuses with all problems
     * found. Classes that no loader of this JVM can link are left out; {@code leftOut} receives each, with why.
     */
    List<Planned> plan(Patch patch, Generation current, List<String> leftOut) throws PatchException {
        List<String> problems = new ArrayList<>();
        // Classes of the JDK and of livepatch4j, by name, before any class is looked up or loaded.
        problems.addAll(Unpatchable.problems(patch));
        if (!problems.isEmpty()) {
            throw refused(patch, problems);
        }
        // Each class resolved to what runs, in turn (this loads a class only where its loader must tell);
        // then the classes that resolved checked against it, in parallel (ApplyWorkers).
        List<Resolved> resolved = new ArrayList<>();
        // Each class's problems, resolution's then check's, reported in the patch's order.
        Map<ClassPatch, List<String>> byClass = new java.util.IdentityHashMap<>();
        Map<String, List<Class<?>>> loaded = loadedByName(patch);
        for (ClassPatch cp : patch.classes()) {
            List<String> mine = new ArrayList<>();
            byClass.put(cp, mine);
            List<Class<?>> candidates = loaded.getOrDefault(cp.name(), List.of());
            ClassFile file = null;
            if (candidates.isEmpty()) {
                file = classFile(cp.name(), loaded);
                if (file == null || file.ambiguous(cp.baseSha256())) {
                    // Not found as a resource; or its loader has a copy of its own beside its parent's,
                    // one of them the patch's base (a child-first loader over a jar its parent also
                    // has): which one it defines decides, so the class is loaded and that is checked.
                    file = null;
                    String[] unloadable = new String[1];
                    Class<?> now = loadWithoutInitializing(cp.name(), loaded, unloadable);
                    if (now == null && unloadable[0] != null) {
                        // Its loader finds it but cannot link it (a library's optional dependency is absent):
                        // no code of this JVM can ever run it, so there is nothing to patch.
                        leaveOut(patch, cp.name(), unloadable[0], leftOut);
                        continue;
                    }
                    if (now == null) {
                        mine.add(cp.name() + ": no class loader of this JVM finds this class; is the patch for this "
                            + "program?");
                        continue;
                    }
                    candidates = List.of(now);
                }
            }
            if (candidates.size() > 1) {
                mine.add(cp.name() + ": the class is loaded by " + candidates.size()
                    + " class loaders; livepatch4j patches one copy of a class at a time");
                continue;
            }
            Class<?> type = file == null ? candidates.get(0) : null;
            ClassLoader loader = file == null ? type.getClassLoader() : file.loader();
            String never = file == null ? PreparedClasses.neverPatchable(type) : neverPatchable(cp.name());
            if (never != null) {
                mine.add(cp.name() + ": this class cannot be patched: " + never + "; patch the application code "
                    + "that uses it instead");
                continue;
            }
            HostClass h = type == null ? null : lifecycle.host(type);
            byte[] currentBytes;
            String currentSha;
            String where;
            String advice = "build the patch from the exact build this JVM runs";
            if (file != null) {
                currentBytes = file.bytes();
                currentSha = Sha256.hex(currentBytes);
                where = "the class file its loader finds (no code has loaded the class yet)";
            } else if (h != null) {
                ClassVersion v = Lifecycle.versionIn(current, h);
                currentBytes = v.bytes();
                currentSha = v.builtSha256();
                where = "the code of generation G" + current.number() + ", version " + v.number() + " of the class";
                if (v.number() > 0) {
                    advice = "a patch is live for this class: a patch built with --stack from that patch's new build "
                        + "applies on top, unless that patch renamed anonymous or local classes (it says so under NOT "
                        + "CARRIED): then apply a cumulative patch built from the build this JVM started with ('lp4j "
                        + "build' without --stack), which replaces it";
                }
            } else {
                currentBytes = loadedBytes(type, true);
                if (currentBytes == null) {
                    mine.add(cp.name() + ": the bytes this class was loaded from cannot be read (it was generated "
                        + "at run time or its loader hides its resources), so the patch's base cannot be checked");
                    continue;
                }
                currentSha = Sha256.hex(currentBytes);
                where = "the class as loaded";
            }
            String base = baseProblem(patch, cp, h, currentSha, where, advice);
            if (base != null) {
                mine.add(base);
                continue;
            }
            // Pair lambda bodies against the bytes that run (an earlier patch's may be renamed already),
            // never reusing a name that any version of the class this JVM ran gave another body.
            List<byte[]> earlier = new ArrayList<>();
            if (h != null) {
                h.versions().forEach(v -> earlier.add(v.bytes()));
            }
            resolved.add(new Resolved(cp, type, h, currentBytes, loader, earlier));
        }
        List<Planned> plan = new ArrayList<>();
        List<Checked> checked = ApplyWorkers.map("checks", resolved, Resolved::loader,
            r -> check(r, patch.classRenames()));
        for (int i = 0; i < checked.size(); i++) {
            Checked c = checked.get(i);
            byClass.get(resolved.get(i).patch()).addAll(c.problems());
            if (c.planned() != null) {
                plan.add(c.planned());
            }
        }
        for (ClassPatch cp : patch.classes()) {
            problems.addAll(byClass.get(cp));
        }
        for (NewClass nc : patch.newClasses()) {
            BytecodeCheck.check(nc.bytes()).forEach(r -> problems.add(r.message()));
        }
        if (patch.classes().isEmpty()) {
            problems.add("the patch changes no loaded class");
        }
        if (!problems.isEmpty()) {
            throw refused(patch, problems);
        }
        return plan;
    }

    /** A class of the patch resolved to the code it must apply to, before its change is checked. */
    private record Resolved(ClassPatch patch, Class<?> type, HostClass host, byte[] before, ClassLoader loader,
                            List<byte[]> earlier) {
    }

    /** What checking one class found: its problems, and its plan if there are none that stop it. */
    private record Checked(List<String> problems, Planned planned) {
    }

    private static final int JVM_CLASS_FILE = Runtime.version().feature() + 44;

    /**
     * Checks one resolved class's change against the code that runs. Touches nothing shared but the
     * loaders (through ClassHierarchy, for the shapes of its superclasses): ApplyWorkers runs it on
     * several threads at once.
     */
    private static Checked check(Resolved r, Map<String, String> classRenames) {
        ClassPatch cp = r.patch();
        List<String> problems = new ArrayList<>();
        ClassShape next = ClassShape.of(cp.targetBytes());
        int version = next.version() & 0xFFFF;
        if (version > JVM_CLASS_FILE) {
            problems.add(cp.name() + ": the new class file has version " + version + " (Java " + (version - 44)
                + "), newer than this JVM (Java " + Runtime.version().feature() + "); compile it with --release "
                + Runtime.version().feature() + " or lower");
            return new Checked(problems, null);
        }
        // Each class file read once for the check, the lambdas' pairing and the diff (most of a big patch's
        // checking is reading); none of them changes what it reads.
        ClassNode target = null;
        ClassNode running = null;
        try {
            target = ClassDiff.read(cp.targetBytes());
            running = ClassDiff.read(r.before());
        } catch (RuntimeException e) {
            // BytecodeCheck reports an unreadable patch class; the running one is read again below
        }
        List<Refusal> unverifiable = target == null || running == null ? BytecodeCheck.check(cp.targetBytes())
            : BytecodeCheck.check(target, running);
        if (!unverifiable.isEmpty()) {
            unverifiable.forEach(u -> problems.add(u.message()));
            return new Checked(problems, null);
        }
        ClassDiff.Result diff;
        byte[] aligned;
        try {
            // The switch maps the patch carries as copies (classRenames) first, as the builder did.
            byte[] renamed = ClassRenames.apply(cp.targetBytes(), classRenames);
            aligned = LambdaPairing.align(r.before(), running, renamed, renamed == cp.targetBytes() ? target : null,
                r.earlier());
            // Both return the very array they were given when they change nothing (most classes).
            // What the patch does not carry is the builder's report (the patch file holds it): not redone here.
            diff = aligned == cp.targetBytes() && running != null ? ClassDiff.compareCarried(running, target)
                : ClassDiff.compareCarried(r.before(), aligned);
        } catch (RuntimeException e) {
            problems.add(cp.name() + ": the new class file cannot be read (" + e + "); the patch is corrupt: "
                + "rebuild it with 'lp4j build'");
            return new Checked(problems, null);
        }
        for (Refusal refusal : diff.refusals()) {
            problems.add(refusal.message());
        }
        String notReinitializable = cp.reinitialize() ? Reinitialization.refusal(ClassDiff.read(aligned)) : null;
        if (notReinitializable != null) {
            problems.add(cp.name() + ": the patch re-initializes the class, which cannot be: " + notReinitializable
                + "; rebuild the patch without --reinitialize " + cp.name());
        }
        ClassLoader loader = r.loader();
        InheritedOverrides.refusals(cp.name(), diff, internal -> ClassHierarchy.shape(loader, internal), next)
            .forEach(refusal -> problems.add(refusal.message()));
        return new Checked(problems, new Planned(cp, r.type(), r.host(), diff, r.before(), aligned, loader));
    }

    private static PatchException refused(Patch patch, List<String> problems) {
        return new PatchException("refused patch " + patch.id() + ", nothing was changed:\n  - "
            + String.join("\n  - ", problems));
    }

    /**
     * Why the patch's base for {@code cp} is not the build it must apply to, or null if it is. A stacked
     * patch applies to the code the class runs now ({@code currentSha}); a cumulative (replace) patch
     * to the class as loaded, whatever live patches did to it, since it replaces them.
     */
    private static String baseProblem(Patch patch, ClassPatch cp, HostClass h, String currentSha, String where,
                                      String advice) {
        String original = h == null ? currentSha : h.original().builtSha256();
        String base = cp.baseSha256();
        if (patch.replace()) {
            if (base.equals(original)) {
                return null;
            }
            if (base.equals(currentSha)) {
                return cp.name() + ": this patch replaces live patches, so it must be built against the build this JVM "
                    + "started with; it was built against the live patch's build (" + where + "): build it with --stack "
                    + "to apply it on top of the live patch, or build it from the build this JVM started with";
            }
            return cp.name() + ": the patch was built against class bytes with SHA-256 " + Sha256.shortHex(base)
                + "…, but this JVM started with " + Sha256.shortHex(original) + "… (the class as loaded); this patch "
                + "replaces live patches, so build it from the exact build this JVM started with";
        }
        if (base.equals(currentSha)) {
            return null;
        }
        if (base.equals(original)) {
            return cp.name() + ": the patch was built against class bytes with SHA-256 " + Sha256.shortHex(base)
                + "…, the class as this JVM started with it, but a live patch changed it: this JVM runs "
                + Sha256.shortHex(currentSha) + "… (" + where + "), and this patch is a stacked one (built with --stack, "
                + "or by an lp4j from before cumulative patches), which applies on top of the code that runs; build it "
                + "without --stack, so that it replaces the live patches, or from the live patch's new build";
        }
        return cp.name() + ": the patch was built against class bytes with SHA-256 " + Sha256.shortHex(base)
            + "…, but this JVM runs " + Sha256.shortHex(currentSha) + "… (" + where + "); " + advice;
    }

    /**
     * A class of the patch that no code has loaded yet: its class file as the loaders of the patch's
     * loaded classes, then the system loader, find it, read without loading anything; null if none does.
     */
    private static ClassFile classFile(String name, Map<String, List<Class<?>>> loaded) {
        String resource = name.replace('.', '/') + ".class";
        for (ClassLoader l : loaders(loaded)) {
            try (InputStream in = l.getResourceAsStream(resource)) {
                if (in != null) {
                    byte[] bytes = in.readAllBytes();
                    return new ClassFile(l, bytes, otherCopies(l, resource, bytes));
                }
            } catch (IOException | RuntimeException e) {
                // unreadable through this loader: try the next
            }
        }
        return null;
    }

    /** At most this many copies of one class file are read (a loader over many jars that all have it). */
    private static final int MAX_COPIES = 8;

    /**
     * The copies of {@code resource} that {@code l} lists besides {@code found} with other contents:
     * where a loader defines a class from its own copy but gives its parent's as a resource (a
     * child-first loader, a URLClassLoader or not), one of these is what it defines.
     */
    private static List<byte[]> otherCopies(ClassLoader l, String resource, byte[] found) {
        List<byte[]> others = new ArrayList<>();
        try {
            java.util.Enumeration<java.net.URL> urls = l.getResources(resource);
            for (int n = 0; urls.hasMoreElements() && n < MAX_COPIES; n++) {
                try (InputStream in = urls.nextElement().openStream()) {
                    byte[] copy = in.readAllBytes();
                    if (!java.util.Arrays.equals(copy, found) && others.stream().noneMatch(o -> java.util.Arrays.equals(o, copy))) {
                        others.add(copy);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the copies it lists cannot be read: the one found is all there is to check
        }
        return others;
    }

    /** The loaders a class of the patch that is not loaded is looked for through, in order. */
    private static Set<ClassLoader> loaders(Map<String, List<Class<?>>> loaded) {
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        loaded.values().forEach(list -> list.forEach(c -> loaders.add(c.getClassLoader())));
        loaders.add(ClassLoader.getSystemClassLoader());
        return loaders;
    }

    /**
     * A class of the patch that no code has used yet and whose class file is not the patch's base as
     * found: loaded (without initializing it, so no application code runs) through the same loaders.
     */
    private static Class<?> loadWithoutInitializing(String name, Map<String, List<Class<?>>> loaded, String[] unloadable) {
        for (ClassLoader l : loaders(loaded)) {
            try {
                return Class.forName(name, false, l);
            } catch (ClassNotFoundException e) {
                // try the next loader
            } catch (LinkageError e) {
                unloadable[0] = e.toString(); // found, but it cannot link here; try the next loader
            }
        }
        return null;
    }

    /** A class its loader finds but cannot link: no code of this JVM can ever run it, so the patch leaves it out. */
    private static void leaveOut(Patch patch, String name, String why, List<String> leftOut) {
        LOG.log(System.Logger.Level.INFO, "livepatch4j: patch {0}: {1} cannot be loaded in this JVM ({2}); "
            + "nothing here can run it, so the patch leaves it out", patch.id(), name, why);
        leftOut.add(name + " (cannot be loaded here: " + why + ")");
    }

    /** As PreparedClasses.neverPatchable, for a class not loaded yet: the JDK's loaders would define it. */
    private static String neverPatchable(String name) {
        String resource = name.replace('.', '/') + ".class";
        return ClassLoader.getPlatformClassLoader().getResource(resource) != null
            ? "it is a class of the JDK (the JVM's boot or platform class loader defines it)" : null;
    }

    /**
     * Under the patch lock, once every check passed: loads each deferred class of {@code plan} (without
     * initializing it, so no application code runs), prepared as it is defined ({@link
     * PreparedClasses#request}: no retransformation), and returns the plan with it. A class its loader
     * finds but cannot link (a library's optional dependency is absent) can never run here: the patch
     * leaves it out and {@code leftOut} says why. Refuses if a class loaded now is not the class file
     * the checks read (the jar changed in between, or another thread loaded another copy).
     */
    List<Planned> loadDeferred(Patch patch, List<Planned> plan, List<String> leftOut) throws PatchException {
        List<Planned> loaded = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        // Every name first: loading one class may define another of the patch (its superclass).
        List<String> requested = plan.stream().filter(Planned::deferred).map(p -> p.patch().name().replace('.', '/'))
            .toList();
        requested.forEach(prepared::request);
        // One by one on this thread, never on the apply's workers: see ApplyWorkers.
        for (Planned p : plan) {
            if (!p.deferred()) {
                loaded.add(p);
                continue;
            }
            String name = p.patch().name();
            Class<?> type;
            try {
                type = Class.forName(name, false, p.loader());
            } catch (ClassNotFoundException e) {
                problems.add(name + ": its class loader found its class file, then could not load it (" + e + ")");
                continue;
            } catch (LinkageError e) {
                leaveOut(patch, name, e.toString(), leftOut);
                continue;
            }
            PreparedClasses.Original o = prepared.original(type);
            if (o != null && !java.util.Arrays.equals(o.bytes(), p.before())) {
                problems.add(name + ": the class loaded now is not the class file the patch was checked against (was "
                    + "the jar replaced, or another copy loaded meanwhile?); apply the patch again");
                continue;
            }
            loaded.add(new Planned(p.patch(), type, null, p.diff(), p.before(), p.bytes(), p.loader()));
        }
        if (!problems.isEmpty()) {
            // Classes loaded here stay prepared (the agent knows their original); no other copy of
            // these names is prepared for this refused patch's sake.
            requested.forEach(prepared::unrequest);
            throw new PatchException("refused patch " + patch.id() + ":\n  - " + String.join("\n  - ", problems)
                + "\nthe classes it loaded stay loaded, unpatched and unused");
        }
        if (loaded.isEmpty()) {
            throw new PatchException("refused patch " + patch.id() + ": no class of it can be loaded in this JVM (see "
                + "the classes left out); nothing was changed");
        }
        return loaded;
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

    /**
     * The class's bytes as first defined: recorded when it was prepared ({@code recorded}), else
     * read from its loader.
     */
    byte[] loadedBytes(Class<?> type, boolean recorded) {
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
}
