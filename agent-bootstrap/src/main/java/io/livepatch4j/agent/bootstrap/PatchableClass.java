package io.livepatch4j.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A class whose methods carry the patch prologue, and its dispatch state: the guard (one
 * {@link MutableCallSite} shared by every method's prologue, a constant false until the class is
 * patched) and one {@link DispatchSite} per method. Created on first use by the class's own
 * prologue or by the tooling; the tooling gives it an index when a patch first touches it.
 */
public final class PatchableClass {

    private static final ClassValue<PatchableClass> BY_CLASS = new ClassValue<>() {
        @Override
        protected PatchableClass computeValue(Class<?> type) {
            return new PatchableClass(type);
        }
    };
    private static final List<PatchableClass> BY_INDEX = new CopyOnWriteArrayList<>();

    private final Class<?> host;
    private final MutableCallSite guard = new MutableCallSite(MethodHandles.constant(boolean.class, false));
    private final ConcurrentHashMap<String, DispatchSite> sites = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger nextSlot = new java.util.concurrent.atomic.AtomicInteger();
    /** Lambda factories spun for code in implementation classes, once per lambda (see {@link Lambdas}). */
    private final ConcurrentHashMap<String, MethodHandle> lambdaFactories = new ConcurrentHashMap<>();
    /** The bridge's {@code call} of each lambda a patch added, by body; defined once by the tooling. */
    private final ConcurrentHashMap<String, MethodHandle> lambdaBridges = new ConcurrentHashMap<>();
    /**
     * Per constructor descriptor, the variant of its super(...)/this(...) call each version of the
     * class runs, by version number (absent: the loaded call, 0). Written by the tooling under its
     * patch lock before a generation with the version is published; read on every construction
     * while the class is patched.
     */
    private final ConcurrentHashMap<String, ConcurrentHashMap<Integer, Integer>> prefixVariants = new ConcurrentHashMap<>();
    private volatile int index = -1;
    private volatile ClassVersion original;
    private volatile boolean patched;

    private PatchableClass(Class<?> host) {
        this.host = host;
    }

    public static PatchableClass of(Class<?> host) {
        return BY_CLASS.get(host);
    }

    /** The classes patches have touched, by index. */
    public static List<PatchableClass> registered() {
        return List.copyOf(BY_INDEX);
    }

    public Class<?> host() {
        return host;
    }

    /** The index generations use for this class, or -1 if no patch touched it yet. */
    public int index() {
        return index;
    }

    /**
     * Gives the class its index and its original version. Tooling only, under the tooling's patch
     * lock, before any generation refers to the class.
     */
    public synchronized void register(ClassVersion originalVersion) {
        if (index < 0) {
            this.original = originalVersion;
            BY_INDEX.add(this);
            index = BY_INDEX.size() - 1;
        }
    }

    public ClassVersion original() {
        return original;
    }

    /** The dispatch site of one method, created on first request. */
    public DispatchSite site(String name, String descriptor, boolean isStatic, MethodType type) {
        return sites.computeIfAbsent(key(name, descriptor, isStatic),
            k -> new DispatchSite(this, name, descriptor, isStatic, nextSlot.getAndIncrement(), type));
    }

    /** The site for a method, or null if none was made yet. */
    public DispatchSite existingSite(String name, String descriptor, boolean isStatic) {
        return sites.get(key(name, descriptor, isStatic));
    }

    public Collection<DispatchSite> sites() {
        return new ArrayList<>(sites.values());
    }

    /** The factory for the lambda {@code key}, spun on first request only. */
    MethodHandle lambdaFactory(String key, Lambdas.Spin spin) throws java.lang.invoke.LambdaConversionException {
        MethodHandle f = lambdaFactories.get(key);
        if (f != null) {
            return f;
        }
        synchronized (lambdaFactories) {
            f = lambdaFactories.get(key);
            if (f == null) {
                f = spin.spin();
                lambdaFactories.put(key, f);
            }
            return f;
        }
    }

    /** The bridge of the lambda body {@code name + descriptor} a patch added, or null if none is defined. */
    public MethodHandle lambdaBridge(String name, String descriptor, boolean isStatic) {
        return lambdaBridges.get(key(name, descriptor, isStatic));
    }

    /** Tooling only: records the bridge it defined for a lambda body a patch added. */
    public void lambdaBridge(String name, String descriptor, boolean isStatic, MethodHandle call) {
        lambdaBridges.putIfAbsent(key(name, descriptor, isStatic), call);
    }

    /** Tooling only: version {@code version} runs variant {@code variant} of the constructor's call. */
    public void prefixVariant(String ctorDescriptor, int version, int variant) {
        prefixVariants.computeIfAbsent(ctorDescriptor, k -> new ConcurrentHashMap<>()).put(version, variant);
    }

    /**
     * The constructor's switch: the variant of the calling thread's generation (the current one
     * outside a unit of work: the construction then belongs to the unit its dispatch will begin).
     */
    int prefixVariant(String ctorDescriptor) {
        Generation g = ThreadState.current().generation;
        if (g == null) {
            g = Generations.current();
        }
        ClassVersion v = index < 0 ? null : g.version(index);
        if (v == null) {
            return 0;
        }
        Map<Integer, Integer> variants = prefixVariants.get(ctorDescriptor);
        Integer n = variants == null ? null : variants.get(v.number());
        return n == null ? 0 : n;
    }

    public MutableCallSite guard() {
        return guard;
    }

    public boolean patched() {
        return patched;
    }

    /**
     * Turns the guard on or off. On: every prologue of the class dispatches. The JIT had folded the
     * old constant into compiled code; {@code setTarget} invalidates that code before it returns
     * (a thread-local deoptimization handshake, no safepoint), and {@code syncAll} makes the new
     * target visible to interpreted code on every thread.
     */
    public void guard(boolean on) {
        patched = on;
        guard.setTarget(MethodHandles.constant(boolean.class, on));
        MutableCallSite.syncAll(new MutableCallSite[] {guard});
    }

    /** Makes every site's new target visible to all threads. */
    public void syncSites() {
        List<MutableCallSite> all = new ArrayList<>();
        sites.values().forEach(s -> {
            all.add(s.callSite);
            MutableCallSite withCreator = s.withCreatorOrNull();
            if (withCreator != null) {
                all.add(withCreator);
            }
        });
        MutableCallSite.syncAll(all.toArray(new MutableCallSite[0]));
    }

    private static String key(String name, String descriptor, boolean isStatic) {
        return (isStatic ? "s " : "i ") + name + descriptor;
    }

    @Override
    public String toString() {
        return host.getName();
    }
}
