package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.Sha256;
import io.livepatch4j.patch.rewrite.PrologueWriter;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adds the patch prologue to patchable classes and remembers each one's bytes as the JVM first
 * defined it (generation 0's code, and what a patch's base hash is checked against).
 *
 * <p>Prepared mode ({@code packages=...}): every class in those packages, as it loads. Attach mode:
 * the classes a patch touches, by one retransformation when the patch is applied. A class prepared
 * once is prepared again whenever it is retransformed or redefined, so the prologue never goes away.
 */
final class PreparedClasses implements ClassFileTransformer {

    private static final System.Logger LOG = AgentLog.logger("io.livepatch4j");

    /**
     * A class's bytes as first defined, its hash, and whether it was given the shadow slot when it
     * was first defined (it keeps it at every retransformation). The hash is computed when a patch
     * first asks for it, not as the class loads: SHA-256's first use loads the JDK's security
     * providers, which would cost a server's start tens of milliseconds for a hash most classes never
     * need. (Racing threads may both compute it; they find the same value.)
     */
    static final class Original {
        private final byte[] bytes;
        private final boolean shadowSlot;
        private volatile String sha256;
        /**
         * The constructor call variants spliced in as the class was defined ({@link #expect}), until
         * the class's variants are first asked for ({@link #variantsOf}); else null.
         */
        private volatile Map<String, List<Variant>> definedWith;
        /**
         * How many variants of each constructor's call the class's code holds: those of the last
         * prologue written for it. Written by the transformer, read under the patch lock.
         */
        private volatile Map<String, Integer> written = Map.of();

        Original(byte[] bytes, String sha256, boolean shadowSlot) {
            this.bytes = bytes;
            this.sha256 = sha256;
            this.shadowSlot = shadowSlot;
        }

        byte[] bytes() {
            return bytes;
        }

        boolean shadowSlot() {
            return shadowSlot;
        }

        String sha256() {
            String h = sha256;
            if (h == null) {
                h = Sha256.hex(bytes);
                sha256 = h;
            }
            return h;
        }
    }

    private final List<String> packagePrefixes;
    private final Set<String> requested = ConcurrentHashMap.newKeySet();
    private final Map<ClassLoader, Map<String, Original>> originals = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<String, Original> bootOriginals = new ConcurrentHashMap<>();
    /**
     * Per class, the variants of its constructors' super(...)/this(...) calls that patches need
     * (ConstructorPrefixes), by constructor descriptor, numbered from 1 in list order; given to the
     * prologue writer whenever the class is retransformed. Only grows while the class lives.
     */
    private final Map<Class<?>, Map<String, List<Variant>>> prefixes = Collections.synchronizedMap(new WeakHashMap<>());
    /**
     * The variants of classes a patch is about to load ({@link #expect}), by internal name, with the
     * class file they were computed from: a class defined from exactly those bytes gets them as it is
     * defined, with no retransformation. Only while the patch loads them (under the patch lock).
     */
    private final Map<String, Expected> expected = new ConcurrentHashMap<>();

    /**
     * One variant of a constructor's call: its code, and the fingerprint that tells variants apart.
     * {@code ahead}: computed before the class loaded, and not yet checked against the code computed
     * for the loaded class ({@link #prefixVariant}).
     */
    private record Variant(String fingerprint, org.objectweb.asm.tree.MethodNode prefix, boolean ahead) {
    }

    /** {@code loaders}: the loader that loads the class for the patch, and its parents (by identity). */
    private record Expected(byte[] bytes, Set<ClassLoader> loaders, Map<String, List<Variant>> variants) {
    }

    PreparedClasses(List<String> packagePrefixes) {
        this.packagePrefixes = List.copyOf(packagePrefixes);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (name == null || !shouldPrepare(name, loader)) {
            return null;
        }
        Map<String, Original> known = originalsOf(loader);
        Original mine = null;
        try {
            Map<String, List<Variant>> variants;
            if (redefined == null || !known.containsKey(name)) {
                // Only a class being defined now can get a field: never one that is retransformed, nor
                // one outside the prepared packages that a patch loads (request): the application
                // sees the class as attach mode would, without the field in its reflection.
                boolean slot = redefined == null && inPackages(name) && topPrepared(bytes);
                Original o = new Original(bytes.clone(), null, slot);
                o.definedWith = redefined == null ? expectedFor(name, loader, bytes) : null;
                // The first definition's record stays: a second attempt (a loader without a lock) fails.
                Original first = known.putIfAbsent(name, o);
                mine = first == null ? o : null;
                variants = redefined != null ? variantsIfAny(redefined) : (first == null ? o : first).definedWith;
            } else {
                variants = variantsIfAny(redefined);
            }
            Original record = known.get(name);
            Map<String, List<org.objectweb.asm.tree.MethodNode>> chosen = prefixesOf(variants);
            PrologueWriter.Result r;
            try {
                r = prologues(bytes, record.shadowSlot(), loader, chosen);
            } catch (RuntimeException | LinkageError doesNotFit) {
                Map<String, List<org.objectweb.asm.tree.MethodNode>> held = redefined != null
                    ? truncated(chosen, record.written) : variants != null && record.definedWith == variants ? Map.of() : chosen;
                if (held.equals(chosen)) {
                    throw doesNotFit;
                }
                // The variants it was to get do not fit (a constructor past the JVM's 64 KB). Defined, it
                // gets them, if it can, as a loaded class does; retransformed for a patch, it keeps the
                // code it has (given back as loaded, without its prologue, it would run its own bodies for
                // every generation), and the patch learns it did not get them (holds) and is refused.
                AgentLog.debug("livepatch4j: {0} {1} without its new constructor calls ({2})", name.replace('/', '.'),
                    redefined == null ? "is defined" : "keeps the code it has", doesNotFit.toString());
                if (redefined == null) {
                    record.definedWith = null;
                }
                chosen = held;
                r = prologues(bytes, record.shadowSlot(), loader, chosen);
            }
            record.written = counts(chosen);
            for (String skipped : r.skipped()) {
                LOG.log(System.Logger.Level.DEBUG, "livepatch4j: {0}#{1} keeps no prologue", name.replace('/', '.'), skipped);
            }
            return r.bytes();
        } catch (RuntimeException | LinkageError e) {
            // Never break class loading: the class simply stays unpatchable, and no record says otherwise.
            if (mine != null || redefined == null) {
                if (mine != null) {
                    known.remove(name, mine);
                }
                LOG.log(System.Logger.Level.WARNING, "livepatch4j: could not prepare " + name.replace('/', '.')
                    + " for patching; it loads unchanged and cannot be patched", e);
            } else {
                // A class prepared before, retransformed (by another agent, or for a patch): the JVM now
                // takes its class file as loaded, without the prologue, so a patch of it would not run.
                LOG.log(System.Logger.Level.ERROR, "livepatch4j: could not prepare " + name.replace('/', '.')
                    + " again as it was retransformed; it runs its code as loaded from now on, and a patch of it "
                    + "would not run: roll such a patch back, or restart the JVM to patch this class", e);
            }
            return null;
        }
    }

    private static PrologueWriter.Result prologues(byte[] bytes, boolean shadowSlot, ClassLoader loader,
                                                   Map<String, List<org.objectweb.asm.tree.MethodNode>> prefixes) {
        return PrologueWriter.addPrologues(bytes, shadowSlot, io.livepatch4j.patch.rewrite.ClassHierarchy.ofResources(loader),
            desc -> prefixes.getOrDefault(desc, List.of()));
    }

    /** The prefixes of {@code variants} as they are now, by constructor descriptor (none for null). */
    private static Map<String, List<org.objectweb.asm.tree.MethodNode>> prefixesOf(Map<String, List<Variant>> variants) {
        Map<String, List<org.objectweb.asm.tree.MethodNode>> out = new java.util.HashMap<>();
        if (variants != null) {
            variants.forEach((desc, list) -> {
                if (!list.isEmpty()) {
                    out.put(desc, list.stream().map(Variant::prefix).toList());
                }
            });
        }
        return out;
    }

    /** {@code prefixes} cut to the first {@code counts} of each descriptor: what the class's code holds. */
    private static Map<String, List<org.objectweb.asm.tree.MethodNode>> truncated(
        Map<String, List<org.objectweb.asm.tree.MethodNode>> prefixes, Map<String, Integer> counts) {
        Map<String, List<org.objectweb.asm.tree.MethodNode>> out = new java.util.HashMap<>();
        prefixes.forEach((desc, list) -> {
            int n = Math.min(list.size(), counts.getOrDefault(desc, 0));
            if (n > 0) {
                out.put(desc, List.copyOf(list.subList(0, n)));
            }
        });
        return out;
    }

    private static Map<String, Integer> counts(Map<String, List<org.objectweb.asm.tree.MethodNode>> prefixes) {
        Map<String, Integer> out = new java.util.HashMap<>();
        prefixes.forEach((desc, list) -> out.put(desc, list.size()));
        return Map.copyOf(out);
    }

    /** Whether the class's code holds variant {@code n} (from 1) of its constructor {@code ctorDesc}'s call. */
    boolean holds(Class<?> type, String ctorDesc, int n) {
        Original o = original(type);
        return o != null && o.written.getOrDefault(ctorDesc, 0) >= n;
    }

    /**
     * The variants a class being defined gets ({@link #expect}): its own copy, if it is defined from the
     * bytes they were computed from, by the loader they were computed for or one of its parents.
     */
    private Map<String, List<Variant>> expectedFor(String name, ClassLoader loader, byte[] bytes) {
        Expected e = expected.get(name);
        return e != null && loader != null && e.loaders().contains(loader) && java.util.Arrays.equals(e.bytes(), bytes)
            ? copy(e.variants()) : null;
    }

    /**
     * Why a class can never be patched (the JDK's own classes, the agent's, a class of the boot or
     * platform loader), or null if it can be. Checked before a patch changes anything.
     */
    static String neverPatchable(Class<?> type) {
        String never = io.livepatch4j.patch.Unpatchable.why(type.getName().replace('.', '/'));
        if (never != null) {
            return never;
        }
        ClassLoader l = type.getClassLoader();
        if (l == null || l == ClassLoader.getPlatformClassLoader()) {
            return "it is loaded by the JVM's " + (l == null ? "boot" : "platform") + " class loader";
        }
        return null;
    }

    /**
     * Whether a class being defined is the top prepared class of its hierarchy (its superclass is in
     * no prepared package), so it gets the shadow slot that its prepared subclasses share.
     */
    private boolean topPrepared(byte[] bytes) {
        String superName = new org.objectweb.asm.ClassReader(bytes).getSuperName();
        if (superName == null) {
            return false;
        }
        for (String prefix : packagePrefixes) {
            if (superName.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    private boolean shouldPrepare(String name, ClassLoader loader) {
        Map<String, Original> known = loader == null ? bootOriginals : originals.get(loader);
        if (io.livepatch4j.patch.rewrite.LambdaBridges.isBridge(name) || HostLookups.isHelper(name)) {
            return false; // the agent's own classes, defined in the host's package (a lambda's bridge, a lookup)
        }
        if (io.livepatch4j.patch.Unpatchable.why(name) != null) {
            return false; // never, not even when asked: a JDK class keeps its bytecode (docs/security.md)
        }
        return requested.contains(name) || (known != null && known.containsKey(name)) || inPackages(name);
    }

    private boolean inPackages(String internalName) {
        for (String prefix : packagePrefixes) {
            if (internalName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Original> originalsOf(ClassLoader loader) {
        if (loader == null) {
            return bootOriginals;
        }
        return originals.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
    }

    /** The class's bytes as first defined, or null if it was never prepared. */
    Original original(Class<?> type) {
        return originalsOf(type.getClassLoader()).get(type.getName().replace('.', '/'));
    }

    /** A class a patch adds: prepared as it is defined, with the bytes its build made as its original. */
    void rememberAdded(ClassLoader loader, String internalName, byte[] bytes, String sha256) {
        originalsOf(loader).put(internalName, new Original(bytes.clone(), sha256, topPrepared(bytes)));
    }

    /** Records the class file the loaded code was checked to match, in place of reconstituted bytes. */
    void replaceOriginal(Class<?> type, byte[] bytes, String sha256) {
        Map<String, Original> known = originalsOf(type.getClassLoader());
        String name = type.getName().replace('.', '/');
        Original before = known.get(name);
        Original o = new Original(bytes.clone(), sha256, before != null && before.shadowSlot());
        o.written = before != null ? before.written : Map.of();
        known.put(name, o);
    }

    /**
     * A class that is not loaded yet and must be prepared when it is, whatever its package: a class of
     * a patch the agent is about to load ({@link PatchPlan#loadDeferred}). Its prologue comes with its
     * definition, so it needs no retransformation.
     */
    void request(String internalName) {
        requested.add(internalName);
    }

    /** Withdraws a {@link #request} for a patch that was refused. */
    void unrequest(String internalName) {
        requested.remove(internalName);
    }

    boolean isPrepared(Class<?> type) {
        return original(type) != null;
    }

    /**
     * Before a patch loads its classes that no code has loaded: the variants each of them needs, by
     * internal name, with the class file they were computed from ({@link AheadVariants}).
     * A class defined from those bytes, by {@code loader} or a parent of it, gets them with its
     * prologue. Under the tooling's patch lock;
     * {@link #forgetExpected} once the classes are loaded.
     */
    void expect(String internalName, byte[] bytes, ClassLoader loader, Map<String, org.objectweb.asm.tree.MethodNode> byCtor,
                Map<String, String> fingerprints) {
        Map<String, List<Variant>> variants = new java.util.HashMap<>();
        byCtor.forEach((desc, prefix) -> variants.put(desc, List.of(new Variant(fingerprints.get(desc), prefix, true))));
        Set<ClassLoader> loaders = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            loaders.add(l);
        }
        expected.put(internalName, new Expected(bytes.clone(), loaders, Map.copyOf(variants)));
    }

    /** After the patch's loading: classes defined from now on get no variant until a patch adds one. */
    void forgetExpected() {
        expected.clear();
    }

    /**
     * As {@link #variantsOf}, for a reader: null where the class has none, and no entry made for it
     * (every retransformation of a prepared class asks, most have none).
     */
    private Map<String, List<Variant>> variantsIfAny(Class<?> type) {
        Map<String, List<Variant>> known = prefixes.get(type);
        if (known != null) {
            return known;
        }
        Original o = original(type);
        return o == null ? null : o.definedWith;
    }

    /**
     * The class's variants, by constructor descriptor: those it was defined with, the first time it is
     * asked, then the ones patches added. The caller holds the tooling's patch lock, or is the
     * transformer of a retransformation that a holder of it asked for.
     */
    private Map<String, List<Variant>> variantsOf(Class<?> type) {
        return prefixes.computeIfAbsent(type, t -> {
            Original o = original(t);
            Map<String, List<Variant>> with = o == null ? null : o.definedWith;
            if (o != null) {
                o.definedWith = null;
            }
            return with != null ? with : new ConcurrentHashMap<>();
        });
    }

    /**
     * The number (from 1) of the variant of the constructor's call with this fingerprint, added if it
     * is new; {@code added} then receives the class, which must be retransformed to get it. A variant
     * the class was defined with ({@link #expect}) is kept if its code is {@code prefix}, and else
     * set aside (it keeps its number: the class's code holds it, never chosen) for a new one. Under
     * the tooling's patch lock.
     */
    int prefixVariant(Class<?> type, String ctorDesc, String fingerprint, org.objectweb.asm.tree.MethodNode prefix,
                      java.util.Set<Class<?>> added) {
        List<Variant> list = variantsOf(type).computeIfAbsent(ctorDesc, k -> new java.util.concurrent.CopyOnWriteArrayList<>());
        for (int i = 0; i < list.size(); i++) {
            Variant v = list.get(i);
            if (!v.fingerprint().equals(fingerprint)) {
                continue;
            }
            if (!v.ahead()) {
                return i + 1;
            }
            if (sameCode(v.prefix(), prefix)) {
                list.set(i, new Variant(fingerprint, v.prefix(), false));
                return i + 1;
            }
            AgentLog.debug("livepatch4j: {0}''s constructor {1} was defined with another variant of its new call than "
                + "the loaded class needs; it is retransformed", type.getName(), ctorDesc);
            list.set(i, new Variant("", v.prefix(), false)); // no fingerprint is empty: never found again
        }
        list.add(new Variant(fingerprint, prefix, false));
        added.add(type);
        return list.size();
    }

    /** A class's own lists: each class defined from the expected bytes changes its own. */
    private static Map<String, List<Variant>> copy(Map<String, List<Variant>> variants) {
        Map<String, List<Variant>> out = new ConcurrentHashMap<>();
        variants.forEach((desc, list) -> out.put(desc, new java.util.concurrent.CopyOnWriteArrayList<>(list)));
        return out;
    }

    /** Whether two variants are the same code, to the frames and the stack and locals sizes. */
    private static boolean sameCode(org.objectweb.asm.tree.MethodNode a, org.objectweb.asm.tree.MethodNode b) {
        return text(a).equals(text(b));
    }

    private static String text(org.objectweb.asm.tree.MethodNode m) {
        org.objectweb.asm.util.Textifier t = new org.objectweb.asm.util.Textifier();
        m.accept(new org.objectweb.asm.util.TraceMethodVisitor(t));
        java.io.StringWriter out = new java.io.StringWriter();
        t.print(new java.io.PrintWriter(out));
        return out.toString();
    }

    /** How many variants of the constructor's call the class has. */
    int prefixVariants(Class<?> type, String ctorDesc) {
        Map<String, List<Variant>> all = variantsIfAny(type);
        List<Variant> list = all == null ? null : all.get(ctorDesc);
        return list == null ? 0 : list.size();
    }

    /** Forgets a variant added for a patch that was then refused. */
    void removePrefixVariant(Class<?> type, String ctorDesc, String fingerprint) {
        List<Variant> list = variantsOf(type).get(ctorDesc);
        if (list != null) {
            list.removeIf(v -> v.fingerprint().equals(fingerprint) && !v.ahead());
        }
    }

    /** Retransforms classes that got new constructor call variants (one RedefineClasses safepoint). */
    void retransform(Instrumentation inst, List<Class<?>> classes) throws UnmodifiableClassException {
        inst.retransformClasses(classes.toArray(new Class<?>[0]));
    }

    /**
     * Attach mode: gives loaded classes their prologue with one retransformation (one
     * {@code RedefineClasses} safepoint for all of them). Behaviour does not change: the guards
     * stay false until a transition starts.
     */
    void prepare(Instrumentation inst, List<Class<?>> classes) throws UnmodifiableClassException {
        for (Class<?> c : classes) {
            requested.add(c.getName().replace('.', '/'));
        }
        inst.retransformClasses(classes.toArray(new Class<?>[0]));
    }
}
