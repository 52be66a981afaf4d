package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.Units;
import io.livepatch4j.agent.tooling.integrations.Hooks;
import io.livepatch4j.agent.tooling.integrations.TypeGate;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The integrations' transformer as the JVM sees it: each class that loads (or is retransformed) is
 * put to the {@link TypeGate}, a name lookup (and, in loaders that have the Servlet API, a walk of
 * supertype names); the few it has hooks for get them woven with plain ASM ({@link Hooks}). A class
 * in a named module (the JDK's) is given a read edge to the bootstrap runtime it then calls.
 */
final class GatedTransformer implements ClassFileTransformer {

    private static final System.Logger LOG = AgentLog.logger("io.livepatch4j");

    private final Instrumentation inst;
    private final TypeGate gate;

    GatedTransformer(Instrumentation inst, TypeGate gate) {
        this.inst = inst;
        this.gate = gate;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (name == null) {
            return null;
        }
        List<Hooks.ClassHooks> hooks = gate.weaving(loader, name, bytes);
        if (hooks.isEmpty() || !seesRuntime(loader)) {
            return null;
        }
        if (redefined == null) {
            reportUnmatched(name, bytes, hooks);
        }
        byte[] woven = weave(name, bytes, hooks, loader);
        if (woven != null) {
            readsRuntime(module);
        }
        return woven;
    }

    /** Per class loader: whether it resolves the bootstrap runtime, which every hook calls. */
    private final Map<ClassLoader, Boolean> seesRuntime = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * Whether the classes {@code loader} defines can call the bootstrap runtime: every ordinary
     * loader delegates to the boot loader, but an OSGi bundle's passes only the packages its
     * framework's boot delegation lists. Such a loader's classes get no hooks (every call would fail
     * to link; the calls are guarded, Hooks' swapped calls are not), said once per loader.
     */
    private boolean seesRuntime(ClassLoader loader) {
        if (loader == null) {
            return true;
        }
        Boolean known = seesRuntime.get(loader);
        if (known != null) {
            return known;
        }
        boolean sees;
        try {
            sees = Class.forName(Units.class.getName(), false, loader) == Units.class;
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            sees = false;
        }
        if (seesRuntime.putIfAbsent(loader, sees) == null && !sees) {
            LOG.log(System.Logger.Level.WARNING, "livepatch4j: class loader " + loader + " does not resolve the agent's"
                + " bootstrap runtime (io.livepatch4j.agent.bootstrap), so the classes it loads get no hooks and their"
                + " threads fall back to per-call-stack consistency; in an OSGi framework, add io.livepatch4j.agent.bootstrap.*"
                + " to org.osgi.framework.bootdelegation");
        }
        return sees;
    }

    /** A unitOfWork option's method that the class has no code for is said once, when the class is defined. */
    private void reportUnmatched(String name, byte[] bytes, List<Hooks.ClassHooks> hooks) {
        for (Hooks.ClassHooks h : hooks) {
            if (gate.asked(h)) {
                try {
                    List<String> missing = Hooks.unmatched(bytes, h);
                    if (!missing.isEmpty()) {
                        UnitsOfWork.notAUnit(name.replace('/', '.'), missing);
                    }
                } catch (RuntimeException e) {
                    // not a class file the JVM will take either
                }
            }
        }
    }

    private static byte[] weave(String name, byte[] bytes, List<Hooks.ClassHooks> hooks, ClassLoader loader) {
        try {
            return Hooks.weave(bytes, hooks, loader);
        } catch (RuntimeException | LinkageError e) {
            UnitsOfWork.notInstrumented(name.replace('/', '.'), e);
            return null;
        }
    }

    private void readsRuntime(Module module) {
        Module runtime = Units.class.getModule();
        if (module != null && module.isNamed() && !module.canRead(runtime)) {
            inst.redefineModule(module, Set.of(runtime), Map.of(), Map.of(), Set.of(), Map.of());
        }
    }

    /**
     * Retransforms the classes the gate has hooks for among those loaded before this transformer was added.
     * The loaded classes are listed again until no new one turns up: a class whose loading was under
     * way while the transformer was added may have passed it by and still be missing from a list.
     */
    void retransformLoaded() {
        Set<Class<?>> done = Collections.newSetFromMap(new IdentityHashMap<>());
        while (true) {
            List<Class<?>> batch = new ArrayList<>();
            for (Class<?> c : inst.getAllLoadedClasses()) {
                if (!done.contains(c) && inst.isModifiableClass(c) && admitsLoaded(c)) {
                    batch.add(c);
                }
            }
            if (batch.isEmpty()) {
                return;
            }
            done.addAll(batch);
            retransform(inst, batch);
        }
    }

    private boolean admitsLoaded(Class<?> c) {
        try {
            return gate.weaves(c);
        } catch (RuntimeException | LinkageError e) {
            return false; // a class whose supertypes cannot be resolved any more: nothing runs in it
        }
    }

    /**
     * One retransformation for the whole batch (one safepoint); if the JVM refuses it, class by
     * class, and each class it refuses is reported: without the report it would keep its old code
     * with no word said.
     */
    private static void retransform(Instrumentation inst, List<Class<?>> batch) {
        try {
            inst.retransformClasses(batch.toArray(new Class<?>[0]));
            return;
        } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
            if (batch.size() == 1) {
                refused(batch.get(0), e);
                return;
            }
        }
        for (Class<?> c : batch) {
            try {
                inst.retransformClasses(c);
            } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                refused(c, e);
            }
        }
    }

    private static void refused(Class<?> c, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "livepatch4j: could not retransform " + c.getName()
            + " to find units of work there; its threads fall back to per-call-stack consistency", e);
    }
}
