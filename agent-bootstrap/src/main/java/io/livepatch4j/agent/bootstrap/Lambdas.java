package io.livepatch4j.agent.bootstrap;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.LambdaConversionException;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Links the lambdas and method references that code in implementation classes makes.
 *
 * <p>The JDK spins a class for every {@code LambdaMetafactory} call site it links, and each
 * generation's implementation class is a new class with new call sites: spun per generation, and on
 * JDK 17 those classes stay loaded for good even when their caller is a hidden class that is
 * unloaded (JDK-8302154). So the factory is spun once per lambda and kept by the host's
 * {@link PatchableClass}; every later generation's call site reuses it. The spun class names only
 * the lambda's target (the host, a JDK class, or a bridge), never the implementation class, so a
 * retired generation stays unloadable.
 *
 * <p>A body that lives in an implementation class (the patch added it) is not targeted directly:
 * the object would run that generation's body forever and keep it loaded. It is spun against the
 * lambda's bridge ({@code LambdaBridges} in patch-core, defined by the tooling at install) with
 * the creating version's body as an extra captured value: a call runs the calling thread's
 * generation's body of that lambda through the host's dispatch site, and the creator's body where
 * that generation has none (it removed the lambda, or is a rollback to code before it).
 */
final class Lambdas {

    private Lambdas() {}

    static CallSite link(MethodHandles.Lookup caller, String name, MethodType factoryType, Object[] args)
        throws LambdaConversionException {
        Class<?> impl = caller.lookupClass();
        PatchableClass host = PatchableClass.of(ImplHosts.of(impl));
        MethodHandle body = (MethodHandle) args[1];
        MethodHandleInfo target = caller.revealDirect(body);
        if (target.getDeclaringClass() != impl) {
            String key = name + factoryType.toMethodDescriptorString() + " " + describe(caller, args);
            return new ConstantCallSite(host.lambdaFactory(key, () -> spin(caller, name, factoryType, args)));
        }
        String implName = target.getName();
        boolean isStatic = implName.startsWith("s$");
        String member = implName.substring(2);
        MethodType implType = target.getMethodType();
        String descriptor = (isStatic ? implType : implType.dropParameterTypes(0, 1)).toMethodDescriptorString();
        MethodHandle bridge = host.lambdaBridge(member, descriptor, isStatic);
        if (bridge == null) {
            throw new LambdaConversionException("livepatch4j: no lambda bridge for " + host + "." + member + descriptor
                + "; the implementation class was not installed by the agent");
        }
        MethodType bridgedType = factoryType.insertParameterTypes(0, MethodHandle.class);
        Object[] bridged = args.clone();
        bridged[1] = bridge;
        String key = "bridge " + member + descriptor + " " + name + bridgedType.toMethodDescriptorString() + " "
            + describe(caller, bridged);
        MethodHandle factory = host.lambdaFactory(key, () -> spin(caller, name, bridgedType, bridged));
        return new ConstantCallSite(MethodHandles.insertArguments(factory, 0, body));
    }

    /** The factory of a new lambda class; {@code caller} is only the first implementation class to link it. */
    private static MethodHandle spin(MethodHandles.Lookup caller, String name, MethodType factoryType, Object[] args)
        throws LambdaConversionException {
        CallSite site = args.length == 3
            ? LambdaMetafactory.metafactory(caller, name, factoryType, (MethodType) args[0], (MethodHandle) args[1],
                (MethodType) args[2])
            : LambdaMetafactory.altMetafactory(caller, name, factoryType, args);
        return site.getTarget();
    }

    /** The static arguments as text: two call sites with equal text get the same lambda class. */
    private static String describe(MethodHandles.Lookup caller, Object[] args) {
        StringBuilder sb = new StringBuilder();
        for (Object a : args) {
            if (a instanceof MethodType t) {
                sb.append(t.toMethodDescriptorString());
            } else if (a instanceof MethodHandle h) {
                MethodHandleInfo i = caller.revealDirect(h);
                sb.append(MethodHandleInfo.referenceKindToString(i.getReferenceKind())).append(' ')
                    .append(i.getDeclaringClass().getName()).append('.').append(i.getName())
                    .append(i.getMethodType().toMethodDescriptorString());
            } else if (a instanceof Class<?> c) {
                sb.append(c.getName());
            } else {
                sb.append(a);
            }
            sb.append(' ');
        }
        return sb.toString();
    }

    /** A factory spin that may fail. */
    interface Spin {
        MethodHandle spin() throws LambdaConversionException;
    }
}
