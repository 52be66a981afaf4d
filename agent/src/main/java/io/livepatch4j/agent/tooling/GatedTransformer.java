package io.livepatch4j.agent.tooling;

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

/**
 * The integrations' transformer as the JVM sees it: each class that loads (or is retransformed) is
 * put to the {@link TypeGate}, a name lookup (and, in loaders that have the Servlet API, a walk of
 * supertype names); the few it has hooks for get them woven with plain ASM ({@link Hooks}). A class
 * in a named module (the JDK's) is given a read edge to the bootstrap runtime it then calls.
 */
final class GatedTransformer implements ClassFileTransformer {

    private static final System.Logger LOG = System.getLogger("io.livepatch4j");

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
        if (hooks.isEmpty()) {
            return null;
        }
        byte[] woven = weave(name, bytes, hooks, loader);
        if (woven != null) {
            readsRuntime(module);
        }
        return woven;
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
        Module runtime = io.livepatch4j.agent.bootstrap.Units.class.getModule();
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
