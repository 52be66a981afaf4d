package io.livepatch4j.agent.bootstrap;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A call from patched code to an overridable method that a patch added ({@code invokevirtual} or
 * {@code invokeinterface} of a method the loaded class does not have). The JVM cannot dispatch it,
 * so this does what its virtual dispatch would do in the new build, in the calling thread's
 * generation: from the receiver's class up, the first class that declares the method, either as
 * loaded (its prologue then picks the generation's body, a removed override included) or in the
 * version the generation runs (that version's body, through its dispatch site); then the most
 * specific default method of an interface, loaded or added.
 *
 * <p>Each call site keeps, per receiver class, the target it resolved last and the generation it
 * resolved it for, so a call costs one class-value lookup and a comparison while the generation
 * stays the same. Targets are dispatch sites' invokers or loaded methods, never a version's
 * implementation handle itself, so the cache keeps no retired implementation class alive.
 */
final class VirtualCalls {

    private static final MethodHandle SELECT;

    static {
        try {
            SELECT = MethodHandles.lookup().findVirtual(VirtualCalls.class, "select",
                MethodType.methodType(MethodHandle.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The target resolved last for one receiver class, and the generation it was resolved for. */
    private record Resolved(long generation, MethodHandle target) {
    }

    private final String name;
    private final String descriptor;
    private final MethodType type;
    /** Written racily: a thread that misses another's write resolves again, to the same target. */
    private final ClassValue<Resolved[]> byReceiver = new ClassValue<>() {
        @Override
        protected Resolved[] computeValue(Class<?> type) {
            return new Resolved[1];
        }
    };

    private VirtualCalls(String name, String descriptor, MethodType type) {
        this.name = name;
        this.descriptor = descriptor;
        this.type = type;
    }

    /** The call site for {@code type} = (receiver, args...) of {@code name + descriptor}. */
    static CallSite site(String name, String descriptor, MethodType type) {
        VirtualCalls calls = new VirtualCalls(name, descriptor, type);
        MethodHandle select = SELECT.bindTo(calls).asType(MethodType.methodType(MethodHandle.class, type.parameterType(0)));
        select = MethodHandles.dropArguments(select, 1, type.parameterList().subList(1, type.parameterCount()));
        return new ConstantCallSite(MethodHandles.foldArguments(MethodHandles.exactInvoker(type), select));
    }

    private MethodHandle select(Object receiver) {
        Class<?> receiverClass = receiver.getClass(); // a null receiver throws NullPointerException, as the JVM would
        Generation g = ThreadState.current().generation;
        if (g == null) {
            g = Generations.current();
        }
        Resolved[] last = byReceiver.get(receiverClass);
        Resolved r = last[0];
        if (r != null && r.generation == g.number()) {
            return r.target;
        }
        MethodHandle target = resolve(receiverClass, g).asType(type);
        last[0] = new Resolved(g.number(), target);
        return target;
    }

    private MethodHandle resolve(Class<?> receiverClass, Generation g) {
        for (Class<?> k = receiverClass; k != null; k = k.getSuperclass()) {
            MethodHandle h = declaredIn(k, g, false);
            if (h != null) {
                return h;
            }
        }
        List<Class<?>> defaults = new ArrayList<>();
        for (Class<?> itf : superinterfaces(receiverClass)) {
            if (declaredIn(itf, g, true) != null) {
                defaults.add(itf);
            }
        }
        defaults.removeIf(a -> defaults.stream().anyMatch(b -> b != a && a.isAssignableFrom(b)));
        if (defaults.size() == 1) {
            return declaredIn(defaults.get(0), g, true);
        }
        String what = receiverClass.getName() + "." + name + descriptor;
        return defaults.isEmpty() ? thrower(AbstractMethodError.class, what)
            : thrower(IncompatibleClassChangeError.class, "conflicting default methods " + defaults + " for " + what);
    }

    /**
     * {@code k}'s method, or null if it declares none: as loaded (virtual dispatch then lands on it,
     * since no class below declares one), else as the generation's version of {@code k} has it.
     */
    private MethodHandle declaredIn(Class<?> k, Generation g, boolean defaultsOnly) {
        MethodHandle loaded = loadedMethod(k, defaultsOnly);
        if (loaded != null) {
            return loaded;
        }
        PatchableClass pc = PatchableClass.of(k);
        if (pc.index() < 0) {
            return null;
        }
        DispatchSite site = pc.existingSite(name, descriptor, false);
        if (site == null) {
            return null;
        }
        ClassVersion v = g.version(pc.index());
        v = v == null ? pc.original() : v;
        return v != null && v.impl(site.slot) != null ? site.callSite.dynamicInvoker() : null;
    }

    /**
     * {@code k}'s own loaded instance method (not inherited, not private; for an interface, a default
     * method when {@code defaultOnly}), as a virtual call, or null. Found by lookup and checked by
     * {@code revealDirect}, never by listing the class's methods, which fails where a signature names
     * a class this JVM cannot load (a library's absent optional dependency).
     */
    private MethodHandle loadedMethod(Class<?> k, boolean defaultOnly) {
        MethodHandles.Lookup lookup;
        MethodType mt;
        try {
            lookup = MethodHandles.privateLookupIn(k, MethodHandles.lookup());
            mt = MethodType.fromMethodDescriptorString(descriptor, k.getClassLoader());
        } catch (IllegalAccessException | RuntimeException | LinkageError e) {
            return null;
        }
        try {
            MethodHandle h = lookup.findVirtual(k, name, mt);
            java.lang.invoke.MethodHandleInfo info = lookup.revealDirect(h);
            int mods = info.getModifiers();
            if (info.getDeclaringClass() != k || Modifier.isStatic(mods) || Modifier.isPrivate(mods)
                || (defaultOnly && Modifier.isAbstract(mods))) {
                return null;
            }
            return h;
        } catch (NoSuchMethodException | IllegalAccessException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static Set<Class<?>> superinterfaces(Class<?> c) {
        Set<Class<?>> all = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            todo.addAll(List.of(k.getInterfaces()));
        }
        while (!todo.isEmpty()) {
            Class<?> i = todo.poll();
            if (all.add(i)) {
                todo.addAll(List.of(i.getInterfaces()));
            }
        }
        return all;
    }

    /** A target that throws a new {@code error(message)} on every call, as the JVM's linkage errors do. */
    private MethodHandle thrower(Class<? extends Throwable> error, String message) {
        try {
            MethodHandle make = MethodHandles.lookup().findConstructor(error, MethodType.methodType(void.class, String.class));
            MethodHandle h = MethodHandles.foldArguments(MethodHandles.throwException(type.returnType(), error),
                MethodHandles.insertArguments(make, 0, message));
            return MethodHandles.dropArguments(h, 0, type.parameterList());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
